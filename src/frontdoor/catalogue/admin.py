"""Service catalogue: admin."""
