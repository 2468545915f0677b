"""Customer Charter: functions that change state (start, pause, resume, restart, extend, stop).

Each action returns the clocks it changed so the caller (cases) can record them in the case
history; none of them reads the wall clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from frontdoor.charter.calendar import WorkingCalendar, calendars_for
from frontdoor.charter.deadlines import (
    Due,
    Standard,
    check_extension,
    clock_due,
    depends_on_start_date_only,
)
from frontdoor.charter.errors import ClockNotPausable
from frontdoor.charter.models import Clock, ClockOutcome
from frontdoor.charter.queries import applicable_standards
from frontdoor.core.errors import InvalidInput
from frontdoor.core.time import require_aware, to_utc
from frontdoor.council.actions import load_council_config
from frontdoor.council.errors import CouncilNotLoaded
from frontdoor.council.queries import current_council, current_council_with_version_id

RECOMPUTE_BATCH = 20_000


# --- reading and writing the JSON fields ----------------------------------------------------


def _iso(moment: datetime) -> str:
    return to_utc(moment).isoformat()


def _instant(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _pauses_of(raw: Sequence[Sequence[str | None]]) -> list[tuple[datetime | None, ...]]:
    return [(_instant(paused), _instant(resumed)) for paused, resumed in raw]


def _extended(raw: Sequence[Mapping[str, Any]]) -> tuple[datetime | None, datetime | None]:
    """(promised due, when it was promised) of the latest extension, or (None, None)."""
    if not raw:
        return None, None
    return _instant(raw[-1]["due"]), _instant(raw[-1]["at"])


def _due_of_clock(
    standard: Standard,
    calendars: Mapping[str, WorkingCalendar],
    *,
    received_at: datetime,
    started_at: datetime,
    event_at: datetime | None,
    pauses: Sequence[Sequence[str | None]],
    extensions: Sequence[Mapping[str, Any]],
) -> Due:
    extended_to, extended_at = _extended(extensions)
    return clock_due(
        standard,
        calendars,
        received_at=received_at,
        started_at=started_at,
        event_at=event_at,
        pauses=_pauses_of(pauses),
        extended_to=extended_to,
        extended_at=extended_at,
    )


def _recomputed(clock: Clock, calendars: Mapping[str, WorkingCalendar]) -> Due:
    return _due_of_clock(
        Standard.from_snapshot(clock.snapshot),
        calendars,
        received_at=clock.received_at,
        started_at=clock.started_at,
        event_at=clock.event_at,
        pauses=clock.pauses,
        extensions=clock.extensions,
    )


def _current_calendars() -> dict[str, WorkingCalendar]:
    return calendars_for(current_council())


def _open_clocks(case_id: int) -> list[Clock]:
    return list(
        Clock.objects.select_for_update()
        .filter(case_id=case_id, stopped_at__isnull=True)
        .order_by("id")
    )


# --- starting and stopping ------------------------------------------------------------------


def start_clocks(
    *,
    case_id: int,
    channel: str,
    case_type: str,
    service_code: str | None,
    complaint_stage: int | None = None,
    received_at: datetime,
    now: datetime,
) -> list[Clock]:
    """One clock per deadline standard of the current charter that applies to the case."""
    require_aware(received_at)
    require_aware(now)
    # The version id comes from the accessor's cache with the configuration itself: reading
    # the version row would fetch (and decode) the whole stored document on every case opened.
    config, version_id = current_council_with_version_id()
    calendars = calendars_for(config)
    standards = applicable_standards(
        config=config,
        channel=channel,
        case_type=case_type,
        service_code=service_code,
        complaint_stage=complaint_stage,
    )
    # No savepoint: nothing here catches a failure, which fails the caller's transaction too
    # (opening a case), so a savepoint would only add two round trips to every case opened.
    with transaction.atomic(savepoint=False):
        existing = {c.standard_id: c for c in Clock.objects.filter(case_id=case_id)}
        created = [
            _new_clock(case_id, standard, calendars, version_id, received_at, now)
            for standard in standards
            if standard.id not in existing  # a retried start must not double the clocks
        ]
        Clock.objects.bulk_create(created)
    return [
        existing.get(s.id) or next(c for c in created if c.standard_id == s.id) for s in standards
    ]


def _new_clock(
    case_id: int,
    standard: Standard,
    calendars: Mapping[str, WorkingCalendar],
    version_id: int,
    received_at: datetime,
    now: datetime,
) -> Clock:
    due = clock_due(standard, calendars, received_at=received_at)
    return Clock(
        case_id=case_id,
        standard_id=standard.id,
        council_version_id=version_id,
        snapshot=standard.to_snapshot(),
        calendar_kind=standard.calendar_kind,
        clock_name=standard.clock,
        received_at=received_at,
        started_at=received_at,
        due_at=due.at,
        provisional=due.provisional,
        updated_at=now,
    )


def _stop(clock: Clock, at: datetime) -> None:
    clock.stopped_at = at
    clock.outcome = ClockOutcome.MET if at <= clock.due_at else ClockOutcome.MISSED
    clock.updated_at = at


def stop_clocks(*, case_id: int, at: datetime, clock_names: set[str] | None = None) -> list[Clock]:
    """Stop the case's open clocks (or only those named): met if at or before due, else missed."""
    require_aware(at)
    with transaction.atomic():
        stopped = [
            c for c in _open_clocks(case_id) if clock_names is None or c.clock_name in clock_names
        ]
        for clock in stopped:
            _stop(clock, at)
        Clock.objects.bulk_update(stopped, ["stopped_at", "outcome", "updated_at"])
    return stopped


def record_clock_event(*, case_id: int, event: str, at: datetime) -> list[Clock]:
    """An event happened ("acknowledged"): firm up clocks that run from it, stop ack clocks."""
    require_aware(at)
    calendars = _current_calendars()
    with transaction.atomic():
        changed: list[Clock] = []
        for clock in _open_clocks(case_id):
            standard = Standard.from_snapshot(clock.snapshot)
            if event == "acknowledged" and standard.clock == "acknowledge":
                _stop(clock, at)
                changed.append(clock)
            elif standard.runs_from == event and clock.event_at is None:
                clock.event_at = at
                due = _recomputed(clock, calendars)
                clock.due_at, clock.provisional, clock.updated_at = due.at, due.provisional, at
                changed.append(clock)
        Clock.objects.bulk_update(
            changed, ["stopped_at", "outcome", "event_at", "due_at", "provisional", "updated_at"]
        )
    return changed


# --- pausing, restarting, extending ---------------------------------------------------------


def pause_clocks(*, case_id: int, at: datetime) -> list[Clock]:
    """Pause the case's running charter-calendar clocks (waiting on the customer)."""
    require_aware(at)
    with transaction.atomic():
        paused = [
            c for c in _open_clocks(case_id) if c.calendar_kind == "charter" and not c.is_paused
        ]
        for clock in paused:
            if clock.pauses and at < datetime.fromisoformat(clock.pauses[-1][1]):
                raise InvalidInput(
                    "at", "before_resume", "a pause cannot start before the last resume"
                )
            clock.pauses = [*clock.pauses, [_iso(at), None]]
            clock.updated_at = at
        Clock.objects.bulk_update(paused, ["pauses", "updated_at"])
    return paused


def resume_clocks(*, case_id: int, at: datetime) -> list[Clock]:
    """Resume paused clocks; each deadline moves later by the working time spent paused."""
    require_aware(at)
    calendars = _current_calendars()
    with transaction.atomic():
        resumed = [c for c in _open_clocks(case_id) if c.is_paused]
        for clock in resumed:
            paused_at = datetime.fromisoformat(clock.pauses[-1][0])
            if at < paused_at:
                raise InvalidInput("at", "before_pause", "a clock cannot resume before it paused")
            clock.pauses = [*clock.pauses[:-1], [clock.pauses[-1][0], _iso(at)]]
            clock.due_at = _recomputed(clock, calendars).at
            clock.updated_at = at
        Clock.objects.bulk_update(resumed, ["pauses", "due_at", "updated_at"])
    return resumed


def restart_clock(*, clock: Clock, answer_received_at: datetime, now: datetime) -> Clock:
    """A statutory clock starts afresh from the day the awaited answer is received.

    Extensions granted before the restart no longer apply: the statutory period begins again.
    """
    require_aware(answer_received_at)
    require_aware(now)
    if clock.calendar_kind == "charter":
        raise ClockNotPausable(
            "charter clocks are paused and resumed, not restarted", code="not_statutory"
        )
    if clock.stopped_at is not None:
        raise ClockNotPausable("this clock has stopped", code="clock_stopped")
    if answer_received_at < clock.received_at:
        raise InvalidInput("answer_received_at", "too_early", "the answer came before the request")
    with transaction.atomic():
        clock.started_at = answer_received_at
        clock.extensions, clock.pauses = [], []
        due = _recomputed(clock, _current_calendars())
        clock.due_at, clock.provisional, clock.updated_at = due.at, due.provisional, now
        clock.save(
            update_fields=[
                "started_at",
                "extensions",
                "pauses",
                "due_at",
                "provisional",
                "updated_at",
            ]
        )
    return clock


def extend_clock(
    *, clock: Clock, new_due_at: datetime, reason: str, by_id: int | None, now: datetime
) -> Clock:
    """Move the deadline later with a reason, within the standard's extension limits."""
    require_aware(now)
    if clock.stopped_at is not None:
        raise ClockNotPausable("this clock has stopped", code="clock_stopped")
    standard = Standard.from_snapshot(clock.snapshot)
    calendars = _current_calendars()
    without_extensions = _due_of_clock(
        standard,
        calendars,
        received_at=clock.received_at,
        started_at=clock.started_at,
        event_at=clock.event_at,
        pauses=clock.pauses,
        extensions=(),
    )
    check_extension(
        standard,
        calendars[standard.calendar_kind],
        original_due=without_extensions.at,
        current_due=clock.due_at,
        new_due=new_due_at,
        extensions_so_far=len(clock.extensions),
        reason=reason,
    )
    with transaction.atomic():
        entry = {"due": _iso(new_due_at), "reason": reason.strip(), "at": _iso(now), "by": by_id}
        clock.extensions = [*clock.extensions, entry]
        clock.due_at, clock.provisional, clock.updated_at = to_utc(new_due_at), False, now
        clock.save(update_fields=["extensions", "due_at", "provisional", "updated_at"])
    return clock


# --- recomputing after the calendar changes -------------------------------------------------


def recompute_open_clocks(*, now: datetime, config: Any | None = None) -> int:
    """Recompute every open charter-calendar clock's due time with the current calendar.

    Statutory clocks ignore closure days, so they are left alone. Returns how many changed.
    """
    require_aware(now)
    calendars = calendars_for(config if config is not None else current_council())
    open_charter = Clock.objects.filter(stopped_at__isnull=True, calendar_kind="charter").order_by()
    with transaction.atomic():
        standards = _standards_by_version(open_charter)
        changed = list(_changed_dues(calendars, standards))
        _write_dues(changed, now)
    return len(changed)


def _open_charter_rows_sql() -> str:
    """Open charter clocks with times as epoch seconds and JSON only where it is not empty.

    Raw SQL because the ORM's per-value datetime and JSON conversion was most of the cost.
    """
    if connection.vendor == "postgresql":
        epoch, text = "EXTRACT(EPOCH FROM {})::float8", "{}::text"
    else:
        epoch, text = "CAST(strftime('%s', {}) AS REAL)", "{}"
    columns = [
        "id",
        "council_version_id",
        "standard_id",
        epoch.format("started_at"),
        epoch.format("event_at"),
        epoch.format("due_at"),
        f"CASE WHEN pauses = '[]' THEN NULL ELSE {text.format('pauses')} END",
        f"CASE WHEN extensions = '[]' THEN NULL ELSE {text.format('extensions')} END",
    ]
    return (
        f"SELECT {', '.join(columns)} FROM {Clock._meta.db_table}"
        " WHERE stopped_at IS NULL AND calendar_kind = 'charter'"
    )


def _changed_dues(
    calendars: Mapping[str, WorkingCalendar],
    standards: Mapping[tuple[int | None, str], Standard],
) -> Iterator[tuple[int, datetime]]:
    """(clock id, new due) for every open charter clock whose due time changes."""
    # A day-based clock's due depends only on the London date of its start, which cannot
    # change within a UTC hour: clocks started in the same hour share one computation.
    shared: dict[tuple[Any, ...], datetime] = {}
    with connection.chunked_cursor() as cursor:
        cursor.execute(_open_charter_rows_sql())
        while rows := cursor.fetchmany(RECOMPUTE_BATCH):
            for clock_id, version_id, standard_id, started, event, due, pauses, extended in rows:
                standard = standards.get((version_id, standard_id)) or _standard_of(clock_id)
                key = None
                plain = version_id is not None and pauses is None and extended is None
                if plain and depends_on_start_date_only(standard):
                    key = (version_id, standard_id, started // 3600, event and event // 3600)
                new_due = shared.get(key) if key else None
                if new_due is None:
                    new_due = _due_of_clock(
                        standard,
                        calendars,
                        received_at=_from_epoch(started),
                        started_at=_from_epoch(started),
                        event_at=_from_epoch(event) if event is not None else None,
                        pauses=json.loads(pauses) if pauses else (),
                        extensions=json.loads(extended) if extended else (),
                    ).at
                    if key:
                        shared[key] = new_due
                if abs(new_due.timestamp() - due) >= 0.0005:
                    yield clock_id, new_due


def _from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _standards_by_version(clocks: Any) -> dict[tuple[int | None, str], Standard]:
    """One parsed snapshot per (council version, standard): a version's standard never varies."""
    pairs = (
        clocks.filter(council_version__isnull=False)
        .order_by()  # the model's default ordering would leak into DISTINCT
        .values_list("council_version_id", "standard_id")
        .distinct()
    )
    found: dict[tuple[int | None, str], Standard] = {}
    for version_id, standard_id in pairs:
        snapshot = (
            clocks.filter(council_version_id=version_id, standard_id=standard_id)
            .values_list("snapshot", flat=True)
            .first()
        )
        found[(version_id, standard_id)] = Standard.from_snapshot(snapshot)
    return found


def _standard_of(clock_id: int) -> Standard:
    return Standard.from_snapshot(Clock.objects.values_list("snapshot", flat=True).get(pk=clock_id))


def _write_dues(changed: Sequence[tuple[int, datetime]], now: datetime) -> None:
    """Write new due times in bulk: COPY + one UPDATE on PostgreSQL, executemany elsewhere."""
    if not changed:
        return
    if connection.vendor == "postgresql":
        _write_dues_postgresql(changed, now)
        return
    adapt = connection.ops.adapt_datetimefield_value
    stamp = adapt(now)
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE charter_clock SET due_at = %s, updated_at = %s WHERE id = %s",
            [(adapt(due), stamp, clock_id) for clock_id, due in changed],
        )


def _write_dues_postgresql(changed: Iterable[tuple[int, datetime]], now: datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE charter_new_due (id bigint, due_at timestamptz) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY charter_new_due (id, due_at) FROM STDIN") as copy:
            for row in changed:
                copy.write_row(row)
        # Without statistics the planner may pair every new due with a scan of the clocks.
        cursor.execute("ANALYZE charter_new_due")
        cursor.execute(
            "UPDATE charter_clock SET due_at = n.due_at, updated_at = %s"
            " FROM charter_new_due n WHERE charter_clock.id = n.id",
            [now],
        )
        # Dropped now too, not only at commit: a caller's transaction may recompute again.
        cursor.execute("DROP TABLE charter_new_due")


# --- adopting a new council configuration ---------------------------------------------------


def adopt_council_config(*, source: str, now: datetime, by: Any = None) -> tuple[Any, int]:
    """Load a council file as the current version; if its calendar changed, recompute clocks.

    Both happen in one transaction: open clocks never disagree with the current calendar.
    Returns (the new CouncilVersion, how many clocks' due times changed).
    """
    with transaction.atomic():
        before = _calendar_definition(_current_config_or_none())
        version = load_council_config(source=source, now=now, by=by)
        config = current_council()
        recomputed = 0
        if _calendar_definition(config) != before:
            recomputed = recompute_open_clocks(now=now, config=config)
    return version, recomputed


def _current_config_or_none() -> Any | None:
    try:
        return current_council()
    except CouncilNotLoaded:
        return None


def _calendar_definition(config: Any | None) -> Any:
    """What the working calendars are made of: the nation and the calendar section."""
    if config is None:
        return None
    return (config.council.nation, config.calendar)
