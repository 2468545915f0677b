"""Council configuration: models."""
