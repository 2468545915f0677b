"""Appointments: models."""
