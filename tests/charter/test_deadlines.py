"""Deadlines a customer is promised, checked by hand against a 2026 calendar.

Each expected date is worked out in the comment next to it (working days counted 1, 2, …).
"""

from __future__ import annotations

from datetime import date

import pytest

from frontdoor.charter.calendar import calendars_for, day_of_receipt
from frontdoor.charter.deadlines import (
    Standard,
    add_calendar_months,
    apply_pauses,
    check_extension,
    clock_due,
)
from frontdoor.charter.errors import ExtensionRefused
from frontdoor.core.errors import InvalidInput
from frontdoor.core.time import isoformat_london, parse_instant
from frontdoor.council.config import CouncilConfig
from tests.charter.conftest import due, in_nation, standard, utc, with_closures

# --- working days ---------------------------------------------------------------------------


def test_letter_received_friday_evening_is_due_end_of_the_fifth_working_day(north_norfolk):
    # Fri 2 Jan 2026 18:00: day 1 is Mon 5 Jan, day 5 is Fri 9 Jan; close 17:00 GMT.
    assert due(north_norfolk, "written-reply", "2026-01-02T18:00") == "2026-01-09T17:00:00+00:00"


def test_letter_received_early_morning_still_counts_from_the_next_working_day(north_norfolk):
    # Mon 5 Jan 2026 07:00 (before opening): day 1 is still Tue 6 Jan, day 5 Mon 12 Jan.
    assert due(north_norfolk, "written-reply", "2026-01-05T07:00") == "2026-01-12T17:00:00+00:00"


def test_christmas_2026_bank_holidays_do_not_count(north_norfolk):
    # Thu 24 Dec 2026: Fri 25 (Christmas) and Mon 28 (Boxing Day substitute) are holidays,
    # so 1=Tue 29, 2=Wed 30, 3=Thu 31, (Fri 1 Jan holiday), 4=Mon 4 Jan, 5=Tue 5 Jan 2027.
    assert due(north_norfolk, "written-reply", "2026-12-24T10:00") == "2027-01-05T17:00:00+00:00"


def test_easter_2026_good_friday_and_easter_monday_do_not_count(north_norfolk):
    # Thu 2 Apr 2026: Fri 3 (Good Friday) and Mon 6 (Easter Monday) skipped:
    # 1=Tue 7, 2=Wed 8, 3=Thu 9, 4=Fri 10, 5=Mon 13 Apr, 17:00 BST.
    assert due(north_norfolk, "written-reply", "2026-04-02T10:00") == "2026-04-13T17:00:00+01:00"


def test_callback_received_at_2330_utc_counts_from_the_london_date(north_norfolk):
    # 23:30 UTC Mon 1 June 2026 is 00:30 BST Tue 2 June: the day of receipt is 2 June, so
    # "end of next working day" is Wed 3 June 17:00 BST, not Tue 2 June.
    received = parse_instant("2026-06-01T23:30:00+00:00")
    assert day_of_receipt(received) == date(2026, 6, 2)
    assert (
        due(north_norfolk, "callback", "2026-06-01T23:30:00+00:00") == "2026-06-03T17:00:00+01:00"
    )


def test_working_days_deadline_across_the_march_clock_change_ends_at_1700_bst(north_norfolk):
    # Wed 25 Mar 2026 (GMT); clocks go forward Sun 29 Mar. 1=Thu 26, 2=Fri 27, 3=Mon 30,
    # 4=Tue 31, 5=Wed 1 Apr: 17:00 BST = 16:00 UTC.
    text = due(north_norfolk, "written-reply", "2026-03-25T12:00")
    assert text == "2026-04-01T17:00:00+01:00"
    assert parse_instant(text).astimezone(utc(2000, 1, 1).tzinfo).hour == 16


def test_ambiguous_0130_on_25_october_needs_an_offset(north_norfolk):
    with pytest.raises(InvalidInput) as raised:
        parse_instant("2026-10-25T01:30")
    assert raised.value.code == "ambiguous"
    # Either reading is Sunday 25 Oct: 1=Mon 26 … 5=Fri 30 Oct, 17:00 GMT.
    for offset in ("+01:00", "+00:00"):
        received = f"2026-10-25T01:30{offset}"
        assert due(north_norfolk, "written-reply", received) == "2026-10-30T17:00:00+00:00"


def test_nonexistent_0130_on_29_march_is_rejected():
    with pytest.raises(InvalidInput) as raised:
        parse_instant("2026-03-29T01:30")
    assert raised.value.code == "nonexistent"


# --- working hours --------------------------------------------------------------------------


def test_complaint_received_friday_1800_is_acknowledged_by_monday_1300(north_norfolk):
    # Out of hours: the clock starts Mon 12 Jan 09:00; 4 working hours -> 13:00.
    assert due(north_norfolk, "complaint-ack", "2026-01-09T18:00") == "2026-01-12T13:00:00+00:00"


def test_complaint_received_at_1300_is_due_at_closing_the_same_day(north_norfolk):
    # 13:00 + 4 h ends exactly at closing: 17:00 the same day, not 09:00 the next.
    assert due(north_norfolk, "complaint-ack", "2026-01-06T13:00") == "2026-01-06T17:00:00+00:00"


def test_working_hours_across_the_march_clock_change(north_norfolk):
    # Fri 27 Mar 15:00 GMT: 2 h to 17:00, then 2 h from Mon 30 Mar 09:00 BST -> 11:00 BST.
    assert due(north_norfolk, "complaint-ack", "2026-03-27T15:00") == "2026-03-30T11:00:00+01:00"


def test_working_hours_across_the_october_clock_change(north_norfolk):
    # Fri 23 Oct 15:00 BST: 2 h to 17:00, then Mon 26 Oct 09:00 GMT + 2 h -> 11:00 GMT.
    assert due(north_norfolk, "complaint-ack", "2026-10-23T15:00") == "2026-10-26T11:00:00+00:00"


# --- calendar months (subject access) -------------------------------------------------------


def test_sar_received_31_january_is_due_on_the_next_working_day_after_28_february(north_norfolk):
    # 31 Jan 2026 -> 31 Feb does not exist -> 28 Feb (a Saturday) -> Mon 2 Mar 2026.
    assert due(north_norfolk, "sar-response", "2026-01-31T10:00") == "2026-03-02T17:00:00+00:00"


def test_sar_received_31_january_in_a_leap_year_is_due_29_february(north_norfolk):
    # 31 Jan 2028 -> 29 Feb 2028, a Tuesday and a working day.
    assert due(north_norfolk, "sar-response", "2028-01-31T10:00") == "2028-02-29T17:00:00+00:00"


def test_sar_landing_on_a_bank_holiday_moves_to_the_next_working_day(north_norfolk):
    # 25 Apr 2026 -> 25 May 2026, the Spring Bank Holiday -> Tue 26 May, 17:00 BST.
    assert due(north_norfolk, "sar-response", "2026-04-25T10:00") == "2026-05-26T17:00:00+01:00"


def test_adding_calendar_months_keeps_the_day_or_takes_the_month_end():
    assert add_calendar_months(date(2026, 3, 31), 1) == date(2026, 4, 30)
    assert add_calendar_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_calendar_months(date(2026, 1, 31), 3) == date(2026, 4, 30)


# --- FOI: bank holidays anywhere in the UK --------------------------------------------------


def test_foi_skips_st_andrews_day_even_for_an_english_council(north_norfolk):
    # Mon 16 Nov 2026: 20 working days would end Mon 14 Dec, but Mon 30 Nov (St Andrew's Day,
    # Scotland) does not count for FOI, so Tue 15 Dec.
    assert due(north_norfolk, "foi-response", "2026-11-16T10:00") == "2026-12-15T17:00:00+00:00"
    english_only = calendars_for(north_norfolk)["statutory"]
    assert english_only.add_working_days(date(2026, 11, 16), 20) == date(2026, 12, 14)


def test_foi_skips_12_july_substitute_and_scottish_summer_holiday(north_norfolk):
    # Mon 6 Jul 2026: 7-10 (4), Mon 13 Jul skipped (Battle of the Boyne, NI), 14-17 (8),
    # 20-24 (13), 27-31 (18), Mon 3 Aug skipped (Scotland), Tue 4 (19), Wed 5 Aug (20).
    assert due(north_norfolk, "foi-response", "2026-07-06T10:00") == "2026-08-05T17:00:00+01:00"


def test_foi_skips_st_patricks_day(north_norfolk):
    # Mon 9 Mar 2026: 10-13 (4), 16 (5), Tue 17 skipped (St Patrick's Day, NI), 18-20 (8),
    # 23-27 (13), 30-31 (15), 1-2 Apr (17), Good Friday and Easter Monday skipped, 7-9 (20).
    assert due(north_norfolk, "foi-response", "2026-03-09T10:00") == "2026-04-09T17:00:00+01:00"


# --- nations --------------------------------------------------------------------------------


def test_scottish_council_loses_2_january_but_keeps_easter_monday(north_norfolk):
    scottish = in_nation(north_norfolk, "scotland")
    # Wed 31 Dec 2025. England: 1 Jan off; 2 Jan (1), 5-8 Jan (5) -> Thu 8 Jan.
    assert due(north_norfolk, "written-reply", "2025-12-31T10:00") == "2026-01-08T17:00:00+00:00"
    # Scotland: 1 and 2 Jan off; 5-9 Jan -> Fri 9 Jan.
    assert due(scottish, "written-reply", "2025-12-31T10:00") == "2026-01-09T17:00:00+00:00"
    # Thu 2 Apr 2026 in Scotland: Good Friday off but Easter Monday works: 6,7,8,9,10 Apr.
    assert due(scottish, "written-reply", "2026-04-02T10:00") == "2026-04-10T17:00:00+01:00"


def test_northern_irish_sar_skips_st_patricks_day(north_norfolk):
    # 17 Feb 2026 -> 17 Mar 2026: a working day in England, St Patrick's Day in NI -> 18 Mar.
    assert due(north_norfolk, "sar-response", "2026-02-17T10:00") == "2026-03-17T17:00:00+00:00"
    northern_irish = in_nation(north_norfolk, "northern-ireland")
    assert due(northern_irish, "sar-response", "2026-02-17T10:00") == "2026-03-18T17:00:00+00:00"


# --- closure days ---------------------------------------------------------------------------


def test_closure_day_moves_a_charter_deadline_but_not_a_statutory_one(north_norfolk):
    closed = with_closures(north_norfolk, [date(2026, 12, 29)])
    # Charter: 24 Dec 2026 was due Tue 5 Jan; with 29 Dec closed, day 5 is Wed 6 Jan.
    assert due(closed, "written-reply", "2026-12-24T10:00") == "2027-01-06T17:00:00+00:00"
    # FOI from Mon 14 Dec 2026 counts 29 Dec as a working day whether the offices open or not.
    assert due(closed, "foi-response", "2026-12-14T10:00") == due(
        north_norfolk, "foi-response", "2026-12-14T10:00"
    )


# --- pauses ---------------------------------------------------------------------------------


def test_pause_example_from_the_brief_moves_due_to_thursday_12_march(north_norfolk):
    # Due Mon 9 Mar 17:00; paused Tue 3 Mar 11:00, resumed Thu 5 Mar 15:00:
    # 6 h (Tue) + 8 h (Wed) + 6 h (Thu) = 20 working hours -> Tue 10 (8), Wed 11 (16),
    # Thu 12 13:00 (20) -> rounded up to the end of charter hours: Thu 12 Mar 17:00.
    calendar = calendars_for(north_norfolk)["charter"]
    written = standard(north_norfolk, "written-reply")
    pauses = [(parse_instant("2026-03-03T11:00"), parse_instant("2026-03-05T15:00"))]
    assert calendar.working_minutes_between(*pauses[0]) == 20 * 60
    moved = apply_pauses(written, calendar, parse_instant("2026-03-09T17:00"), pauses)
    assert isoformat_london(moved) == "2026-03-12T17:00:00+00:00"


def test_pause_on_a_working_hours_clock_is_not_rounded(north_norfolk):
    # Ack due Tue 6 Jan 13:00 (received 09:00); paused 10:00-11:30 -> due 14:30.
    calendars = calendars_for(north_norfolk)
    result = clock_due(
        standard(north_norfolk, "complaint-ack"),
        calendars,
        received_at=parse_instant("2026-01-06T09:00"),
        pauses=[(parse_instant("2026-01-06T10:00"), parse_instant("2026-01-06T11:30"))],
    )
    assert isoformat_london(result.at) == "2026-01-06T14:30:00+00:00"


def test_still_running_pause_does_not_move_the_deadline_yet(north_norfolk):
    calendars = calendars_for(north_norfolk)
    received = parse_instant("2026-01-05T10:00")
    written = standard(north_norfolk, "written-reply")
    base = clock_due(written, calendars, received_at=received)
    paused = clock_due(
        written, calendars, received_at=received, pauses=[(parse_instant("2026-01-06T10:00"), None)]
    )
    assert paused == base


# --- restart, from another event ------------------------------------------------------------


def test_foi_restarted_after_clarification_counts_afresh_from_the_answer(north_norfolk):
    calendars = calendars_for(north_norfolk)
    foi = standard(north_norfolk, "foi-response")
    received = parse_instant("2026-01-05T10:00")
    # The answer arrived Mon 2 Feb 2026: 20 working days from it -> Mon 2 Mar 2026.
    restarted = clock_due(
        foi, calendars, received_at=received, started_at=parse_instant("2026-02-02T16:00")
    )
    assert isoformat_london(restarted.at) == "2026-03-02T17:00:00+00:00"


def test_stage2_response_is_provisional_until_acknowledged_then_firm(north_norfolk):
    # Received Mon 5 Jan 2026 10:00; the acknowledgement may come as late as Mon 12 Jan 17:00
    # (5 working days), so provisionally 20 working days from 12 Jan: Mon 9 Feb.
    assert due(north_norfolk, "complaint-stage2-response", "2026-01-05T10:00") == (
        "2026-02-09T17:00:00+00:00"
    )
    response = standard(north_norfolk, "complaint-stage2-response")
    calendars = calendars_for(north_norfolk)
    received = parse_instant("2026-01-05T10:00")
    assert clock_due(response, calendars, received_at=received).provisional
    # Acknowledged Tue 6 Jan 11:00: 20 working days from 6 Jan -> Tue 3 Feb, firm.
    firm = clock_due(
        response, calendars, received_at=received, event_at=parse_instant("2026-01-06T11:00")
    )
    assert not firm.provisional
    assert isoformat_london(firm.at) == "2026-02-03T17:00:00+00:00"


# --- extensions -----------------------------------------------------------------------------


def _check(config: CouncilConfig, standard_id: str, new_due: str, *, so_far: int = 0, reason="x"):
    chosen = standard(config, standard_id)
    calendar = calendars_for(config)[chosen.calendar_kind]
    original = parse_instant("2026-01-26T17:00")  # Mon 26 Jan 2026
    check_extension(
        chosen,
        calendar,
        original_due=original,
        current_due=original,
        new_due=parse_instant(new_due),
        extensions_so_far=so_far,
        reason=reason,
    )


def test_stage1_complaint_may_be_extended_once_by_up_to_10_working_days(north_norfolk):
    # Due Mon 26 Jan; 10 working days more -> Mon 9 Feb 17:00 is the latest allowed.
    _check(north_norfolk, "complaint-response", "2026-02-09T17:00")
    with pytest.raises(ExtensionRefused) as too_long:
        _check(north_norfolk, "complaint-response", "2026-02-10T09:00")
    assert too_long.value.code == "too_long"
    with pytest.raises(ExtensionRefused) as twice:
        _check(north_norfolk, "complaint-response", "2026-02-02T17:00", so_far=1)
    assert twice.value.code == "too_many_extensions"


def test_extension_needs_a_reason_and_a_standard_that_allows_it(north_norfolk):
    with pytest.raises(ExtensionRefused) as no_reason:
        _check(north_norfolk, "complaint-response", "2026-02-02T17:00", reason="  ")
    assert no_reason.value.code == "reason_required"
    with pytest.raises(ExtensionRefused):
        _check(north_norfolk, "written-reply", "2026-02-02T17:00")


def test_sar_may_be_extended_by_two_more_months(north_norfolk):
    # Due Mon 26 Jan 2026 -> at most 26 Mar 2026 (a Thursday).
    _check(north_norfolk, "sar-response", "2026-03-26T17:00")
    with pytest.raises(ExtensionRefused):
        _check(north_norfolk, "sar-response", "2026-03-27T17:00")


# --- snapshots ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "standard_id", ["written-reply", "complaint-stage2-response", "sar-response", "foi-response"]
)
def test_standard_snapshot_round_trips_through_json(north_norfolk, standard_id):
    import json

    original = standard(north_norfolk, standard_id)
    assert Standard.from_snapshot(json.loads(json.dumps(original.to_snapshot()))) == original
