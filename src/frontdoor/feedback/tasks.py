"""Feedback: background tasks."""
