"""Cases: reads."""
