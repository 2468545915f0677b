"""Appointments: errors."""
