"""Notifications: reads."""
