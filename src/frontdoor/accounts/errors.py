"""Accounts: errors."""
