"""Appointments: background tasks."""
