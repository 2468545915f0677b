"""Audit trail: functions that change state."""
