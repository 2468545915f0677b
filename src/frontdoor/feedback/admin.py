"""Feedback: admin."""
