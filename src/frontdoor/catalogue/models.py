"""Service catalogue: models."""
