"""Service catalogue: errors."""
