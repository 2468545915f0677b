"""Customers: reads."""
