"""Customers: background tasks."""
