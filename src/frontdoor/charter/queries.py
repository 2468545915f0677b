"""Customer Charter: reads."""
