"""Council configuration: functions that change state."""
