"""Performance and insight: models."""
