"""Cases: functions that change state."""
