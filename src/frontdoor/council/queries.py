"""Council configuration: reads."""
