"""Accounts: functions that change state."""
