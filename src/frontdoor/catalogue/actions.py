"""Service catalogue: functions that change state."""
