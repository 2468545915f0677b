"""Cases: errors."""
