"""Feedback: models."""
