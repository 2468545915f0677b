"""Audit trail: background tasks."""
