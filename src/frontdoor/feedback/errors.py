"""Feedback: errors."""

from __future__ import annotations

from frontdoor.core.errors import Conflict


class AlreadyAnswered(Conflict):
    """The survey for this case has been answered (one response per case)."""


class AlreadyEscalated(Conflict):
    """The complaint already has a stage 2 review."""
