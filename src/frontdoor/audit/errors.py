"""Audit trail: errors."""
