"""Customer Charter: admin."""
