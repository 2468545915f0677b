"""Audit trail: admin."""
