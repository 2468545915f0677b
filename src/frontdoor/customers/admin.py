"""Customers: admin."""
