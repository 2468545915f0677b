"""Performance and insight: functions that change state."""
