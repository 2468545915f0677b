"""Customer Charter: reads (which standards apply, what is due when, how each clock stands)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from frontdoor.charter.calendar import WorkingCalendar, calendars_for
from frontdoor.charter.deadlines import (
    Standard,
    clock_due,
    standard_from_config,
)
from frontdoor.charter.models import Clock
from frontdoor.core.time import require_aware
from frontdoor.council.queries import current_council

ClockState = Literal["on_track", "at_risk", "breached", "met", "missed", "paused"]


def applicable_standards(
    *,
    config: Any,
    channel: str | None,
    case_type: str | None,
    service_code: str | None,
    complaint_stage: int | None = None,
) -> list[Standard]:
    """The deadline standards of `config` whose applies_to covers this case, in file order."""
    return [
        standard_from_config(config, found.id)
        for found in config.charter.deadlines
        if found.applies_to.matches(
            channel=channel,
            case_type=case_type,
            service=service_code,
            complaint_stage=complaint_stage,
        )
    ]


def due_for(
    *, standard_id: str, config: Any, received_at: datetime, event_at: datetime | None = None
) -> datetime:
    """The deadline a standard promises for a contact received now (provisional without event)."""
    require_aware(received_at)
    standard = standard_from_config(config, standard_id)
    return clock_due(standard, calendars_for(config), received_at=received_at, event_at=event_at).at


def clocks_for_case(case_id: int) -> list[Clock]:
    """Every clock of a case, soonest due first."""
    return list(Clock.objects.filter(case_id=case_id).order_by("due_at", "id"))


def clock_state(
    clock: Clock, now: datetime, *, calendars: Mapping[str, WorkingCalendar] | None = None
) -> ClockState:
    """met/missed once stopped; else paused, breached, at risk or on track at `now`."""
    require_aware(now)
    if clock.stopped_at is not None:
        return "met" if clock.outcome == "met" else "missed"
    if clock.is_paused:
        return "paused"
    if now > clock.due_at:
        return "breached"
    standard = Standard.from_snapshot(clock.snapshot)
    calendar = (calendars or _current_calendars())[clock.calendar_kind]
    counted_from = clock.event_at or clock.started_at
    total = calendar.working_seconds_between(counted_from, clock.due_at)
    remaining = calendar.working_seconds_between(max(now, counted_from), clock.due_at)
    if total > 0 and remaining <= standard.at_risk_when_remaining * total:
        return "at_risk"
    return "on_track"


def _current_calendars() -> dict[str, WorkingCalendar]:
    return calendars_for(current_council())
