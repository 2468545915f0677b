"""Contacts: functions that change state."""
