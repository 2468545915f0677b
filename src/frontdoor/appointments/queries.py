"""Appointments: reads."""
