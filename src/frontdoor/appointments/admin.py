"""Appointments: admin."""
