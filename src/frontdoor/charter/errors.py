"""Customer Charter: errors."""
