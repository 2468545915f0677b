"""Contacts: background tasks."""
