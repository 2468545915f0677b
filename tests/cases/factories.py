"""Helpers for cases tests: open real cases through the action (so clocks and events exist)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from frontdoor.accounts.models import User
from frontdoor.cases.actions import open_case
from frontdoor.cases.models import Case


def open_waste_case(
    *,
    by: User | None,
    now: datetime,
    received_at: datetime | None = None,
    channel: str = "email",
    service_code: str = "fly-tipping",
    case_type: str = "service_request",
    **extra: Any,
) -> Case:
    """A Waste Services case received by email (so the 5-working-day written-reply clock runs)."""
    return open_case(
        case_type=case_type,
        service_code=service_code,
        title="Fly-tipping behind the library",
        description="Mattresses and bags dumped behind Cromer library.",
        received_at=received_at or now,
        channel=channel,
        by=by,
        now=now,
        **extra,
    )
