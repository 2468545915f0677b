"""Customers: errors."""
