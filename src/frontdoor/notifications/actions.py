"""Notifications: functions that change state."""
