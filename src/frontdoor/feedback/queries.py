"""Feedback: reads."""
