"""Working calendars: which days and hours a charter clock runs, with O(log n) arithmetic.

A calendar precomputes (lazily, for a range of years, extended on demand) the sorted list of
working days and the cumulative working seconds at the start and end of each, so adding working
days or hours and measuring working time between two instants are binary searches, never
day-by-day walks. Arithmetic runs in Europe/London wall-clock seconds, because charter hours are
local wall times; instants cross the edge as aware datetimes (UTC out).
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal

import holidays

from frontdoor.core.time import LONDON, require_aware

CalendarKind = Literal["charter", "statutory", "statutory-uk"]
CALENDAR_KINDS: tuple[CalendarKind, ...] = ("charter", "statutory", "statutory-uk")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NATION_HOLIDAY_REGIONS: dict[str, tuple[str, ...]] = {
    # England and Wales share their bank holidays; the holidays package files them under ENG.
    "england-and-wales": ("ENG",),
    "scotland": ("SCT",),
    "northern-ireland": ("NIR",),
}
ALL_UK_HOLIDAY_REGIONS = ("ENG", "WLS", "SCT", "NIR")
# A statutory working day on a weekday that has no charter hours.
STATUTORY_DEFAULT_HOURS = (9 * 3600, 17 * 3600)
FIRST_YEAR, LAST_YEAR = 1990, 2100
_EPOCH_ORDINAL = date(1, 1, 1).toordinal()  # 0001-01-01 was a Monday

Hours = tuple[int, int] | None  # (opening, closing) in seconds after local midnight


@lru_cache(maxsize=64)
def holiday_ordinals(regions: tuple[str, ...], first_year: int, last_year: int) -> frozenset[int]:
    """Bank holidays of the given UK regions between two years, as date ordinals."""
    years = range(first_year, last_year + 1)
    found: set[int] = set()
    for region in regions:
        found.update(day.toordinal() for day in holidays.UK(subdiv=region, years=years))
    return frozenset(found)


@dataclass
class _Index:
    """The precomputed arrays for one span of years (rebuilt wider when a query needs it)."""

    first_ordinal: int = 0
    last_ordinal: int = -1
    days: list[int] = field(default_factory=list)
    opens: list[int] = field(default_factory=list)
    closes: list[int] = field(default_factory=list)
    cum_start: list[int] = field(default_factory=list)
    cum_end: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class WorkingCalendar:
    """Immutable: working weekdays and hours, non-working dates; arithmetic by binary search."""

    kind: CalendarKind
    hours: tuple[Hours, ...]
    holiday_regions: tuple[str, ...]
    closure_days: frozenset[date] = frozenset()
    _index: list[_Index] = field(
        default_factory=lambda: [_Index()], compare=False, hash=False, repr=False
    )
    _lock: Any = field(default_factory=threading.Lock, compare=False, hash=False, repr=False)
    _instants: dict[tuple[int, int], datetime] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    # --- building the index -------------------------------------------------------------

    def _covering(self, first_ordinal: int, last_ordinal: int) -> _Index:
        index = self._index[0]
        if index.first_ordinal <= first_ordinal and last_ordinal <= index.last_ordinal:
            return index
        with self._lock:
            index = self._index[0]
            if index.days:
                first_year = min(date.fromordinal(first_ordinal).year, _year(index.first_ordinal))
                last_year = max(date.fromordinal(last_ordinal).year, _year(index.last_ordinal))
            else:
                first_year = min(FIRST_YEAR, date.fromordinal(first_ordinal).year)
                last_year = max(LAST_YEAR, date.fromordinal(last_ordinal).year)
            index = self._build(first_year, last_year)
            self._index[0] = index
            return index

    def _build(self, first_year: int, last_year: int) -> _Index:
        skip = set(holiday_ordinals(self.holiday_regions, first_year, last_year))
        skip.update(day.toordinal() for day in self.closure_days)
        index = _Index(date(first_year, 1, 1).toordinal(), date(last_year, 12, 31).toordinal())
        total = 0
        for ordinal in range(index.first_ordinal, index.last_ordinal + 1):
            hours = self.hours[(ordinal - _EPOCH_ORDINAL) % 7]
            if hours is None or ordinal in skip:
                continue
            index.days.append(ordinal)
            index.opens.append(hours[0])
            index.closes.append(hours[1])
            index.cum_start.append(total)
            total += hours[1] - hours[0]
            index.cum_end.append(total)
        return index

    def _extended_for_count(self, index: _Index, needed_position: int) -> _Index:
        """The index grown forward until it holds `needed_position` working days."""
        while needed_position >= len(index.days):
            index = self._covering(index.first_ordinal, index.last_ordinal + 366 * 50)
        return index

    # --- days -----------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        ordinal = day.toordinal()
        index = self._covering(ordinal, ordinal)
        position = bisect_left(index.days, ordinal)
        return position < len(index.days) and index.days[position] == ordinal

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def working_day_on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day: date, count: int) -> date:
        """Working day number `count`, counting the first working day after `day` as 1."""
        if count < 0:
            raise ValueError("count must not be negative")
        if count == 0:
            return day
        ordinal = day.toordinal()
        index = self._covering(ordinal, ordinal)
        position = bisect_right(index.days, ordinal) + count - 1
        index = self._extended_for_count(index, position)
        return date.fromordinal(index.days[position])

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative if `end` is earlier)."""
        first, last = sorted((start.toordinal(), end.toordinal()))
        index = self._covering(first, last)
        count = bisect_right(index.days, last) - bisect_right(index.days, first)
        return count if end >= start else -count

    def hours_on(self, day: date) -> tuple[int, int]:
        """(opening, closing) seconds after midnight on `day`'s weekday (statutory default)."""
        return self.hours[day.weekday()] or STATUTORY_DEFAULT_HOURS

    def closing_time(self, day: date) -> datetime:
        """The end of working hours on `day`, as an aware UTC instant."""
        return self._instant(day.toordinal(), self.hours_on(day)[1])

    def opening_time(self, day: date) -> datetime:
        return self._instant(day.toordinal(), self.hours_on(day)[0])

    # --- working time ---------------------------------------------------------------------

    def working_seconds_between(self, start: datetime, end: datetime) -> int:
        """Seconds inside working hours on working days between two instants (signed)."""
        start_ordinal, start_second = wall_position(start)
        end_ordinal, end_second = wall_position(end)
        index = self._covering(min(start_ordinal, end_ordinal), max(start_ordinal, end_ordinal))
        return _position(index, end_ordinal, end_second) - _position(
            index, start_ordinal, start_second
        )

    def working_minutes_between(self, start: datetime, end: datetime) -> float:
        """Minutes inside working hours on working days between two instants (signed)."""
        return self.working_seconds_between(start, end) / 60

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime:
        """The instant `minutes` of working time after `start` (ending at closing if exact)."""
        return self.add_working_seconds(start, round(minutes * 60))

    def add_working_seconds(self, start: datetime, seconds: int) -> datetime:
        if seconds < 0:
            raise ValueError("working time to add must not be negative")
        if seconds == 0:
            return self.clock_start(start)
        ordinal, second = wall_position(start)
        index = self._covering(ordinal, ordinal)
        while True:
            target = _position(index, ordinal, second) + seconds
            # bisect_left on the cumulative closing totals: a count that ends exactly at a
            # closing time stays at that closing time rather than jumping to the next opening.
            position = bisect_left(index.cum_end, target)
            if position < len(index.days):
                break
            index = self._extended_for_count(index, len(index.days))
        offset = target - index.cum_start[position]
        return self._instant(index.days[position], index.opens[position] + offset)

    def clock_start(self, moment: datetime) -> datetime:
        """`moment` if inside working hours (closing included), otherwise the next opening."""
        if self.is_within_hours(moment):
            return moment.astimezone(UTC)
        ordinal, second = wall_position(moment)
        index = self._covering(ordinal, ordinal)
        position = bisect_left(index.days, ordinal)
        if (
            position < len(index.days)
            and index.days[position] == ordinal
            and second < index.opens[position]
        ):
            return self._instant(ordinal, index.opens[position])
        position = bisect_right(index.days, ordinal)
        index = self._extended_for_count(index, position)
        return self._instant(index.days[position], index.opens[position])

    def is_within_hours(self, moment: datetime) -> bool:
        """True on a working day between opening and closing (both included)."""
        ordinal, second = wall_position(moment)
        index = self._covering(ordinal, ordinal)
        position = bisect_left(index.days, ordinal)
        if position == len(index.days) or index.days[position] != ordinal:
            return False
        return index.opens[position] <= second <= index.closes[position]

    def _instant(self, ordinal: int, second: int) -> datetime:
        """Aware UTC instant for a London wall time; cached because few distinct ones recur."""
        key = (ordinal, second)
        found = self._instants.get(key)
        if found is None:
            wall = datetime.combine(date.fromordinal(ordinal), time()) + timedelta(seconds=second)
            # fold=0: a wall time in the spring gap reads as the pre-change offset (never raises);
            # charter hours sit far from 01:00-02:00, so this only matters for odd configurations.
            found = wall.replace(tzinfo=LONDON).astimezone(UTC)
            if len(self._instants) > 100_000:
                self._instants.clear()
            self._instants[key] = found
        return found


def wall_position(moment: datetime) -> tuple[int, int]:
    """(date ordinal, whole seconds after midnight) of an aware instant on the London wall clock."""
    require_aware(moment)
    local = moment.astimezone(LONDON)
    return local.toordinal(), local.hour * 3600 + local.minute * 60 + local.second


def day_of_receipt(moment: datetime) -> date:
    """The Europe/London date of an aware instant (23:30 UTC on 1 June is 2 June)."""
    require_aware(moment)
    return moment.astimezone(LONDON).date()


def _position(index: _Index, ordinal: int, second: int) -> int:
    """Working seconds from the start of `index` to a wall-clock position."""
    position = bisect_left(index.days, ordinal)
    if position < len(index.days) and index.days[position] == ordinal:
        length = index.closes[position] - index.opens[position]
        return index.cum_start[position] + min(max(second - index.opens[position], 0), length)
    if position == len(index.days):
        return index.cum_end[-1] if index.days else 0
    return index.cum_start[position]


def _year(ordinal: int) -> int:
    return date.fromordinal(ordinal).year


# --- building calendars from the council configuration ----------------------------------------


def parse_hours(text: str) -> tuple[int, int]:
    """ "09:00-17:00" as (32400, 61200) seconds after midnight."""
    start, end = (part.strip() for part in text.split("-"))
    return _seconds(start), _seconds(end)


def _seconds(value: Any) -> int:
    if isinstance(value, time):
        return value.hour * 3600 + value.minute * 60 + value.second
    hours, minutes = str(value).split(":")[:2]
    return int(hours) * 3600 + int(minutes) * 60


def _hours_value(value: Any) -> tuple[int, int] | None:
    """Charter hours for a weekday in any shape the configuration may hold them."""
    if value is None:
        return None
    if isinstance(value, str):
        return parse_hours(value)
    if isinstance(value, tuple | list):
        return _seconds(value[0]), _seconds(value[1])
    start = getattr(value, "start", None) or getattr(value, "opens", None)
    end = getattr(value, "end", None) or getattr(value, "closes", None)
    if start is None or end is None:
        raise ValueError(f"cannot read charter hours from {value!r}")
    return _seconds(start), _seconds(end)


def weekly_hours(charter_hours: Mapping[Any, Any]) -> tuple[Hours, ...]:
    """Seven entries, Monday first, from a mapping of weekday (name or number) to hours."""
    by_day: dict[int, Hours] = {}
    for key, value in charter_hours.items():
        weekday = key if isinstance(key, int) else WEEKDAYS.index(str(key).lower())
        by_day[weekday] = _hours_value(value)
    return tuple(by_day.get(weekday) for weekday in range(7))


def _field(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name)


def _calendar_section(config: Any) -> tuple[tuple[Hours, ...], frozenset[date], str]:
    calendar = _field(config, "calendar")
    charter_hours = _field(calendar, "charter_hours")
    if not isinstance(charter_hours, Mapping):
        charter_hours = charter_hours.model_dump(exclude_none=True)
    closures = frozenset(_closure_date(entry) for entry in _field(calendar, "closure_days") or ())
    nation = _field(_field(config, "council"), "nation")
    return weekly_hours(charter_hours), closures, str(getattr(nation, "value", nation))


def _closure_date(entry: Any) -> date:
    return entry if isinstance(entry, date) else _field(entry, "date")


def statutory_hours(hours: Iterable[Hours]) -> tuple[Hours, ...]:
    """Monday to Friday with the charter hours of that weekday (09:00-17:00 if none)."""
    return tuple(
        (weekday_hours or STATUTORY_DEFAULT_HOURS) if weekday < 5 else None
        for weekday, weekday_hours in enumerate(hours)
    )


def charter_calendar(config: Any) -> WorkingCalendar:
    """Charter hours, the nation's bank holidays and the council's closure days."""
    hours, closures, nation = _calendar_section(config)
    return _cached_calendar("charter", hours, NATION_HOLIDAY_REGIONS[nation], closures)


def statutory_calendar(config: Any) -> WorkingCalendar:
    """Monday to Friday except the nation's bank holidays; closure days do not count."""
    hours, _, nation = _calendar_section(config)
    return _cached_calendar(
        "statutory", statutory_hours(hours), NATION_HOLIDAY_REGIONS[nation], frozenset()
    )


def statutory_uk_calendar(config: Any) -> WorkingCalendar:
    """FOIA s.10(6): Monday to Friday except a bank holiday anywhere in the UK."""
    hours, _, _ = _calendar_section(config)
    return _cached_calendar(
        "statutory-uk", statutory_hours(hours), ALL_UK_HOLIDAY_REGIONS, frozenset()
    )


def calendars_for(config: Any) -> dict[str, WorkingCalendar]:
    """All three calendars of a council, by calendar kind."""
    return {
        "charter": charter_calendar(config),
        "statutory": statutory_calendar(config),
        "statutory-uk": statutory_uk_calendar(config),
    }


@lru_cache(maxsize=64)
def _cached_calendar(
    kind: CalendarKind,
    hours: tuple[Hours, ...],
    regions: tuple[str, ...],
    closures: frozenset[date],
) -> WorkingCalendar:
    # One calendar (and its precomputed index) per distinct definition and process.
    return WorkingCalendar(kind=kind, hours=hours, holiday_regions=regions, closure_days=closures)
