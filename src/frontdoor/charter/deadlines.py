"""Deadline arithmetic for charter standards, exactly as BRIEF.md "Deadline semantics" states.

Pure functions over `WorkingCalendar`s: no database, no configuration lookups, no clock reads.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from frontdoor.charter.calendar import WorkingCalendar, day_of_receipt
from frontdoor.charter.errors import ExtensionRefused, NotADeadline, UnknownStandard
from frontdoor.core.time import require_aware

PeriodKind = Literal["working_days", "working_hours", "calendar_months"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("working_days", "working_hours", "calendar_months")
DAY_PERIODS = frozenset({"working_days", "calendar_months"})


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    amount: int

    def describe(self) -> str:
        unit = self.kind.replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"

    def to_snapshot(self) -> dict[str, int]:
        return {self.kind: self.amount}

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> Period:
        """From `{"working_days": 5}` (the TOML shape); exactly one key must be set."""
        present = [(kind, data[kind]) for kind in PERIOD_KINDS if data.get(kind) is not None]
        if len(present) != 1:
            raise ValueError(f"a period needs exactly one of {', '.join(PERIOD_KINDS)}: {data!r}")
        kind, amount = present[0]
        return cls(kind=kind, amount=int(amount))


@dataclass(frozen=True)
class ExtensionPolicy:
    max_count: int
    max_period: Period

    def to_snapshot(self) -> dict[str, Any]:
        return {"max_count": self.max_count, "max": self.max_period.to_snapshot()}

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> ExtensionPolicy:
        return cls(max_count=int(data["max_count"]), max_period=Period.from_snapshot(data["max"]))


@dataclass(frozen=True)
class Standard:
    """What a clock needs to know about a deadline standard, frozen as it was when it started."""

    id: str
    period: Period
    calendar_kind: str = "charter"
    clock: str = "respond"
    runs_from: str = "received"
    provisional_from: Standard | None = None
    extension: ExtensionPolicy | None = None
    at_risk_when_remaining: float = 0.2

    @property
    def runs_from_event(self) -> bool:
        return self.runs_from != "received"

    def to_snapshot(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "period": self.period.to_snapshot(),
            "calendar": self.calendar_kind,
            "clock": self.clock,
            "runs_from": self.runs_from,
            "provisional_from": self.provisional_from.to_snapshot()
            if self.provisional_from
            else None,
            "extension": self.extension.to_snapshot() if self.extension else None,
            "at_risk_when_remaining": self.at_risk_when_remaining,
        }

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> Standard:
        provisional = data.get("provisional_from")
        extension = data.get("extension")
        return cls(
            id=data["id"],
            period=Period.from_snapshot(data["period"]),
            calendar_kind=data.get("calendar", "charter"),
            clock=data.get("clock", "respond"),
            runs_from=data.get("runs_from", "received"),
            provisional_from=cls.from_snapshot(provisional) if provisional else None,
            extension=ExtensionPolicy.from_snapshot(extension) if extension else None,
            at_risk_when_remaining=float(data.get("at_risk_when_remaining", 0.2)),
        )


@dataclass(frozen=True)
class Due:
    at: datetime
    provisional: bool = False


Pause = Sequence[datetime | None]  # (paused_at, resumed_at or None while still paused)


# --- single periods -----------------------------------------------------------------------


def add_calendar_months(day: date, months: int) -> date:
    """The same day-of-month `months` later, or the last day of that month if it has none."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))


def due_after_working_days(calendar: WorkingCalendar, start: datetime, days: int) -> datetime:
    """End of working hours on working day `days`; day 1 is the first working day after receipt."""
    return calendar.closing_time(calendar.add_working_days(day_of_receipt(start), days))


def due_after_working_hours(calendar: WorkingCalendar, start: datetime, hours: int) -> datetime:
    """`hours` of working time from receipt (or from the next opening if received outside hours)."""
    return calendar.add_working_seconds(start, hours * 3600)


def due_after_calendar_months(calendar: WorkingCalendar, start: datetime, months: int) -> datetime:
    """Same day-of-month `months` later (or month end), moved to a working day, at closing."""
    target = add_calendar_months(day_of_receipt(start), months)
    return calendar.closing_time(calendar.working_day_on_or_after(target))


def due_after(period: Period, calendar: WorkingCalendar, start: datetime) -> datetime:
    """The deadline `period` after `start` on `calendar`."""
    require_aware(start)
    if period.kind == "working_days":
        return due_after_working_days(calendar, start, period.amount)
    if period.kind == "working_hours":
        return due_after_working_hours(calendar, start, period.amount)
    return due_after_calendar_months(calendar, start, period.amount)


# --- a whole clock --------------------------------------------------------------------------


def calendar_of(standard: Standard, calendars: Mapping[str, WorkingCalendar]) -> WorkingCalendar:
    return calendars[standard.calendar_kind]


def base_due(
    standard: Standard,
    calendars: Mapping[str, WorkingCalendar],
    *,
    received_at: datetime,
    started_at: datetime | None = None,
    event_at: datetime | None = None,
) -> Due:
    """The deadline before pauses and extensions; provisional while the start event is awaited."""
    calendar = calendar_of(standard, calendars)
    if not standard.runs_from_event:
        return Due(due_after(standard.period, calendar, started_at or received_at))
    if event_at is not None:
        return Due(due_after(standard.period, calendar, event_at))
    if standard.provisional_from is None:
        raise ValueError(f"standard {standard.id} runs from an event but has no provisional_from")
    # Until the event happens, count from the latest time it may happen.
    latest_event = base_due(
        standard.provisional_from, calendars, received_at=received_at, started_at=started_at
    ).at
    return Due(due_after(standard.period, calendar, latest_event), provisional=True)


def depends_on_start_date_only(standard: Standard) -> bool:
    """True when the due time (without pauses or extensions) depends only on the start's date."""
    if standard.period.kind not in DAY_PERIODS:
        return False
    return standard.provisional_from is None or depends_on_start_date_only(
        standard.provisional_from
    )


def paused_seconds(calendar: WorkingCalendar, pauses: Iterable[Pause]) -> int:
    """Working seconds spent in finished pauses (a pause still running adds nothing yet)."""
    total = 0
    for paused_at, resumed_at in pauses:
        if paused_at is not None and resumed_at is not None and resumed_at > paused_at:
            total += calendar.working_seconds_between(paused_at, resumed_at)
    return total


def apply_pauses(
    standard: Standard, calendar: WorkingCalendar, due: datetime, pauses: Iterable[Pause]
) -> datetime:
    """`due` moved later by the working time paused; day-based periods round up to closing."""
    seconds = paused_seconds(calendar, pauses)
    if seconds == 0:
        return due
    moved = calendar.add_working_seconds(due, seconds)
    if standard.period.kind in DAY_PERIODS:
        return calendar.closing_time(day_of_receipt(moved))
    return moved


def promised_due_on(calendar: WorkingCalendar, promised: datetime) -> datetime:
    """An extended due keeps its date unless that day stopped working: then next day's close."""
    day = day_of_receipt(promised)
    if calendar.is_working_day(day):
        return promised
    return calendar.closing_time(calendar.next_working_day(day))


def clock_due(
    standard: Standard,
    calendars: Mapping[str, WorkingCalendar],
    *,
    received_at: datetime,
    started_at: datetime | None = None,
    event_at: datetime | None = None,
    pauses: Sequence[Pause] = (),
    extended_to: datetime | None = None,
    extended_at: datetime | None = None,
) -> Due:
    """The current deadline of a clock from its start, start event, pauses and latest extension."""
    calendar = calendar_of(standard, calendars)
    if extended_to is not None:
        # The promised date stands; only pauses begun after the extension move it further.
        later = [p for p in pauses if extended_at is None or (p[0] and p[0] >= extended_at)]
        return Due(apply_pauses(standard, calendar, promised_due_on(calendar, extended_to), later))
    base = base_due(
        standard, calendars, received_at=received_at, started_at=started_at, event_at=event_at
    )
    return Due(apply_pauses(standard, calendar, base.at, pauses), base.provisional)


# --- extensions ---------------------------------------------------------------------------


def latest_extension_allowed(
    standard: Standard, calendar: WorkingCalendar, original_due: datetime
) -> datetime:
    """The latest deadline an extension may set: the policy's maximum added to the original due."""
    if standard.extension is None:
        raise ExtensionRefused(f"the {standard.id} standard allows no extension")
    return due_after(standard.extension.max_period, calendar, original_due)


def check_extension(
    standard: Standard,
    calendar: WorkingCalendar,
    *,
    original_due: datetime,
    current_due: datetime,
    new_due: datetime,
    extensions_so_far: int,
    reason: str,
) -> None:
    """Raise ExtensionRefused unless the extension is within the standard's limits."""
    require_aware(new_due)
    if not reason.strip():
        raise ExtensionRefused(
            "give the reason for the extension: the customer is told it", code="reason_required"
        )
    policy = standard.extension
    if policy is None:
        raise ExtensionRefused(f"the {standard.id} standard allows no extension")
    if extensions_so_far >= policy.max_count:
        times = "once" if policy.max_count == 1 else f"{policy.max_count} times"
        raise ExtensionRefused(
            f"the {standard.id} standard may be extended only {times}; it already has been",
            code="too_many_extensions",
        )
    if new_due <= current_due:
        raise ExtensionRefused("an extension must move the deadline later", code="not_later")
    latest = latest_extension_allowed(standard, calendar, original_due)
    if new_due > latest:
        raise ExtensionRefused(
            f"the {standard.id} standard allows at most {policy.max_period.describe()} more "
            f"(until {latest.isoformat()})",
            code="too_long",
        )


# --- from the council configuration -------------------------------------------------------


def period_from_config(period: Any) -> Period:
    """A configuration period (`{working_days = 5}`) as an engine Period."""
    return Period(kind=period.unit, amount=period.amount)


def standard_from_config(config: Any, standard_id: str) -> Standard:
    """The deadline standard `standard_id` of a council configuration, ready for a clock."""
    try:
        found = config.standard(standard_id)
    except KeyError:
        known = ", ".join(s.id for s in config.charter.deadlines)
        raise UnknownStandard(
            f"unknown charter standard {standard_id!r} (deadlines: {known})", field="standard"
        ) from None
    if found.kind != "deadline":
        raise NotADeadline(standard_id)
    extension = found.extension
    return Standard(
        id=found.id,
        period=period_from_config(found.period),
        calendar_kind=found.calendar,
        clock=found.clock,
        runs_from=found.runs_from,
        provisional_from=(
            standard_from_config(config, found.provisional_from) if found.provisional_from else None
        ),
        extension=(
            ExtensionPolicy(
                max_count=extension.max_count, max_period=period_from_config(extension.max)
            )
            if extension
            else None
        ),
        at_risk_when_remaining=float(found.at_risk_when_remaining),
    )
