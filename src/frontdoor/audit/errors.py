"""Audit trail: errors."""

from __future__ import annotations


class AppendOnlyViolation(RuntimeError):
    """Code tried to change or delete a record that may only ever be added to (a bug, not input)."""
