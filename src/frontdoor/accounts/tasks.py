"""Accounts: background tasks."""
