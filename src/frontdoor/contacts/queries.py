"""Contacts: reads."""
