"""Customer Charter: functions that change state."""
