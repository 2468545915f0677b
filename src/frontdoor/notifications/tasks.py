"""Notifications: background tasks."""
