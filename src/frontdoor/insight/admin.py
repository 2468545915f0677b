"""Performance and insight: admin."""
