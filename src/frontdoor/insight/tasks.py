"""Performance and insight: background tasks."""
