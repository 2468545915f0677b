"""Notifications: models."""
