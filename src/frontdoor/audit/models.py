"""Audit trail: models."""
