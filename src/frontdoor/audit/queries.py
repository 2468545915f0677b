"""Audit trail: reads."""
