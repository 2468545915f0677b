"""Customers: functions that change state."""
