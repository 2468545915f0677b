"""Invariants every deadline keeps, whatever the time of receipt, calendar or pause."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdoor.charter.calendar import WorkingCalendar, calendars_for, day_of_receipt
from frontdoor.charter.deadlines import Standard, clock_due, standard_from_config
from frontdoor.council.queries import read_council_file
from tests.charter.conftest import with_closures

CONFIG = read_council_file("north-norfolk")
DEADLINES = [s.id for s in CONFIG.charter.deadlines]
EXAMPLES = settings(max_examples=200, deadline=None)

instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))
closure_days = st.sets(st.dates(date(2025, 1, 1), date(2029, 6, 30)), max_size=8)
calendar_kinds = st.sampled_from(["charter", "statutory", "statutory-uk"])


def _calendar(kind: str, closures: set[date] = frozenset()) -> WorkingCalendar:  # type: ignore[assignment]
    return calendars_for(with_closures(CONFIG, closures))[kind]


def _standard(standard_id: str) -> Standard:
    return standard_from_config(CONFIG, standard_id)


@EXAMPLES
@given(st.sampled_from(DEADLINES), instants, closure_days)
def test_deadline_never_falls_on_a_non_working_day_or_outside_hours(standard_id, received, closed):
    config = with_closures(CONFIG, closed)
    chosen = _standard(standard_id)
    result = clock_due(chosen, calendars_for(config), received_at=received).at
    calendar = calendars_for(config)[chosen.calendar_kind]
    assert result.tzinfo is not None
    assert calendar.is_working_day(day_of_receipt(result))
    assert calendar.is_within_hours(result)
    assert result > received


@EXAMPLES
@given(
    st.sampled_from(DEADLINES),
    instants,
    closure_days,
    st.dates(date(2025, 1, 1), date(2029, 6, 30)),
)
def test_adding_a_closure_day_never_makes_a_deadline_earlier(standard_id, received, closed, extra):
    chosen = _standard(standard_id)
    before = clock_due(chosen, calendars_for(with_closures(CONFIG, closed)), received_at=received)
    after = clock_due(
        chosen, calendars_for(with_closures(CONFIG, closed | {extra})), received_at=received
    )
    assert after.at >= before.at


@EXAMPLES
@given(st.sampled_from(DEADLINES), instants, instants)
def test_zero_length_pause_changes_nothing(standard_id, received, paused_at):
    chosen = _standard(standard_id)
    calendars = calendars_for(CONFIG)
    plain = clock_due(chosen, calendars, received_at=received)
    paused = clock_due(chosen, calendars, received_at=received, pauses=[(paused_at, paused_at)])
    assert paused == plain


@EXAMPLES
@given(st.sampled_from(DEADLINES), instants, st.integers(0, 60 * 24 * 400))
def test_deadlines_are_monotonic_in_received_at(standard_id, received, later_by_minutes):
    chosen = _standard(standard_id)
    calendars = calendars_for(CONFIG)
    earlier = clock_due(chosen, calendars, received_at=received).at
    later = clock_due(
        chosen, calendars, received_at=received + timedelta(minutes=later_by_minutes)
    ).at
    assert later >= earlier


@EXAMPLES
@given(
    calendar_kinds, closure_days, st.dates(date(2024, 1, 1), date(2030, 1, 1)), st.integers(0, 400)
)
def test_counting_working_days_back_gives_the_number_added(kind, closed, start, count):
    calendar = _calendar(kind, closed)
    end = calendar.add_working_days(start, count)
    assert calendar.working_days_between(start, end) == count
    if count:
        assert calendar.is_working_day(end)


@EXAMPLES
@given(calendar_kinds, closure_days, instants, st.integers(1, 60 * 8 * 300))
def test_working_minutes_added_are_the_working_minutes_between(kind, closed, start, minutes):
    calendar = _calendar(kind, closed)
    opening = calendar.clock_start(start)  # inside hours, as the invariant needs
    end = calendar.add_working_minutes(opening, minutes)
    assert end.tzinfo is not None
    assert calendar.working_minutes_between(opening, end) == minutes
    assert calendar.is_within_hours(end)


@EXAMPLES
@given(calendar_kinds, closure_days, st.dates(date(2024, 1, 1), date(2030, 1, 1)))
def test_next_working_day_is_working_and_nothing_between_is(kind, closed, start):
    calendar = _calendar(kind, closed)
    following = calendar.next_working_day(start)
    assert following > start
    assert calendar.is_working_day(following)
    assert calendar.working_days_between(start, following - timedelta(days=1)) == 0
