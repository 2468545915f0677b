"""Contacts: errors."""
