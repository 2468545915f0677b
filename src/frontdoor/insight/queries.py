"""Performance and insight: reads."""
