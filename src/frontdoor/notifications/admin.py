"""Notifications: admin."""
