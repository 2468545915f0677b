"""Service catalogue: reads."""
