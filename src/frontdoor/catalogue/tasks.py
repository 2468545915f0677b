"""Service catalogue: background tasks."""
