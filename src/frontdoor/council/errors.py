"""Council configuration: errors."""
