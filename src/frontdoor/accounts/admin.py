"""Accounts: admin."""
