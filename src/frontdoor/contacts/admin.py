"""Contacts: admin."""
