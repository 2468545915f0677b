"""Customer Charter: models."""
