"""Working calendars: which days count, for the charter and for the statutes."""

from __future__ import annotations

from datetime import date

from frontdoor.charter.calendar import calendars_for
from frontdoor.core.time import isoformat_london, parse_instant
from tests.charter.conftest import in_nation, with_closures


def test_charter_calendar_has_no_weekends_or_english_bank_holidays(north_norfolk):
    charter = calendars_for(north_norfolk)["charter"]
    assert charter.is_working_day(date(2026, 12, 24))  # Thursday
    assert not charter.is_working_day(date(2026, 12, 26))  # Saturday (Boxing Day)
    assert not charter.is_working_day(date(2026, 12, 28))  # Boxing Day substitute
    assert charter.next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)


def test_statutory_uk_calendar_excludes_every_nations_bank_holidays(north_norfolk):
    uk = calendars_for(north_norfolk)["statutory-uk"]
    english = calendars_for(north_norfolk)["statutory"]
    for day in (date(2026, 1, 2), date(2026, 3, 17), date(2026, 7, 13), date(2026, 11, 30)):
        assert english.is_working_day(day) and not uk.is_working_day(day)


def test_scottish_statutory_calendar_follows_scottish_holidays(north_norfolk):
    scottish = calendars_for(in_nation(north_norfolk, "scotland"))["statutory"]
    assert not scottish.is_working_day(date(2026, 8, 3))  # Scottish summer holiday
    assert scottish.is_working_day(date(2026, 8, 31))  # English late summer holiday


def test_closure_days_close_the_charter_calendar_only(north_norfolk):
    calendars = calendars_for(with_closures(north_norfolk, [date(2026, 12, 29)]))
    assert not calendars["charter"].is_working_day(date(2026, 12, 29))
    assert calendars["statutory"].is_working_day(date(2026, 12, 29))
    assert calendars["statutory-uk"].is_working_day(date(2026, 12, 29))


def test_working_time_between_friday_evening_and_monday_noon_is_three_hours(north_norfolk):
    charter = calendars_for(north_norfolk)["charter"]
    friday_evening = parse_instant("2026-01-09T18:00")
    monday_noon = parse_instant("2026-01-12T12:00")
    assert charter.working_minutes_between(friday_evening, monday_noon) == 180
    assert charter.working_minutes_between(monday_noon, friday_evening) == -180


def test_long_spans_reach_beyond_the_precomputed_years(north_norfolk):
    charter = calendars_for(north_norfolk)["charter"]
    far = charter.add_working_days(date(2099, 12, 1), 1000)
    assert far.year >= 2103 and charter.is_working_day(far)
    assert charter.working_days_between(date(2099, 12, 1), far) == 1000
    assert charter.is_working_day(date(1985, 1, 2))  # before the first precomputed year


def test_closing_time_is_local_1700_in_winter_and_summer(north_norfolk):
    charter = calendars_for(north_norfolk)["charter"]
    assert isoformat_london(charter.closing_time(date(2026, 1, 5))) == "2026-01-05T17:00:00+00:00"
    assert isoformat_london(charter.closing_time(date(2026, 7, 6))) == "2026-07-06T17:00:00+01:00"
