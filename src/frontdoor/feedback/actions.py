"""Feedback: functions that change state."""
