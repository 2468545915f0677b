"""Cases: background tasks."""
