"""Council configuration: admin."""
