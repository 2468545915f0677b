"""Customer Charter: background tasks."""
