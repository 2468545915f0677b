"""Time helpers: store UTC, show Europe/London, reject local times that do not exist or repeat."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdoor.core.errors import InvalidInput

LONDON = ZoneInfo("Europe/London")


def london_now_date(now: datetime) -> date:
    """The calendar date in Europe/London at the aware instant `now`."""
    return to_london(now).date()


def to_london(moment: datetime) -> datetime:
    """`moment` (aware) shown in Europe/London."""
    require_aware(moment)
    return moment.astimezone(LONDON)


def to_utc(moment: datetime) -> datetime:
    require_aware(moment)
    return moment.astimezone(UTC)


def require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError(f"naive datetime {moment!r}: pass an aware datetime")


def london_wall_time(day: date, at: time) -> datetime:
    """The aware instant at wall-clock `at` on `day` in Europe/London.

    Raises InvalidInput if that local time does not exist (spring forward) or occurs twice
    (autumn back), because a charter deadline must never be ambiguous.
    """
    return localise(datetime.combine(day, at), field="time")


def localise(naive: datetime, *, field: str = "time") -> datetime:
    """Attach Europe/London to a naive local time, rejecting gaps and repeats."""
    first = naive.replace(tzinfo=LONDON, fold=0)
    second = naive.replace(tzinfo=LONDON, fold=1)
    if first.utcoffset() != second.utcoffset():
        # fold=0 and fold=1 disagree only in a gap or an overlap; tell them apart by round trip.
        if first.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != naive:
            raise InvalidInput(
                field,
                "nonexistent",
                f"{naive:%Y-%m-%d %H:%M} does not exist in Europe/London (the clocks go forward)",
            )
        raise InvalidInput(
            field,
            "ambiguous",
            f"{naive:%Y-%m-%d %H:%M} happens twice in Europe/London (the clocks go back); "
            "give an offset such as +01:00 or +00:00",
        )
    return first


def parse_instant(text: str, *, field: str = "time") -> datetime:
    """Parse ISO 8601; a time without an offset is Europe/London wall time (validated)."""
    raw = text.strip()
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00") if raw.endswith("Z") else raw)
    except ValueError:
        raise InvalidInput(field, "invalid", f"{text!r} is not an ISO 8601 date and time") from None
    if parsed.tzinfo is None:
        return localise(parsed, field=field)
    return parsed


def isoformat_london(moment: datetime) -> str:
    """ISO 8601 in Europe/London with its offset, whole seconds (2026-01-05T17:00:00+00:00)."""
    return to_london(moment).replace(microsecond=0).isoformat()


def days(n: int) -> timedelta:
    return timedelta(days=n)
