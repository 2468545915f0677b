"""Performance and insight: errors."""
