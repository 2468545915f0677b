"""Appointments: errors."""

from __future__ import annotations

from frontdoor.core.errors import Conflict, InvalidInput


class SlotFull(Conflict):
    """Someone else took the last place in that slot."""


class SlotNotOffered(InvalidInput):
    """That time is not one of the slots the council offers (closed, past, not configured)."""
