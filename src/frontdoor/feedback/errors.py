"""Feedback: errors."""
