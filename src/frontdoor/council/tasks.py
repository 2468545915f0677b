"""Council configuration: background tasks."""
