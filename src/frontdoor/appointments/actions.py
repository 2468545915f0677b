"""Appointments: functions that change state."""
