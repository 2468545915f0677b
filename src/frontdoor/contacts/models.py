"""Contacts: models."""
