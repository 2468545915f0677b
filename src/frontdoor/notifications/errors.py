"""Notifications: errors."""
