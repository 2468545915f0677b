"""Accounts: reads."""
