"""Slots come from the configuration: office hours, bank holidays, closure days, notice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from frontdoor.appointments.queries import (
    Place,
    available_slots,
    generate_slots,
    place_for,
    places_for,
    slots_by_day,
)
from frontdoor.core.time import to_london
from frontdoor.council.config import AppointmentSchedule, CouncilConfig
from frontdoor.council.queries import read_council_file

pytestmark = pytest.mark.django_db


def _local(slots):
    return [to_london(s.starts_at) for s in slots]


def test_cromer_offers_half_hour_slots_on_weekdays_within_the_schedule(council, now):
    slots = generate_slots(config=council, place=place_for("housing-benefit",
                                                           "cromer:face_to_face"), now=now)
    days = slots_by_day(slots)
    monday = date(2026, 1, 5)
    # 10:00 UTC now + 2 hours' notice: the first Monday slot is 12:00; the last starts 16:00.
    assert [t.strftime("%H:%M") for t in _local(days[monday])][:2] == ["12:00", "12:30"]
    assert _local(days[monday])[-1].strftime("%H:%M") == "16:00"
    tuesday = _local(days[date(2026, 1, 6)])
    assert len(tuesday) == 15 and tuesday[0].strftime("%H:%M") == "09:00"
    assert not any(d.weekday() >= 5 for d in days)  # no weekends
    assert max(days) <= date(2026, 1, 5) + timedelta(weeks=4)
    assert all(s.capacity == 2 for s in slots)


def test_no_slots_on_bank_holidays(council):
    easter = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # the week before Easter 2026
    days = slots_by_day(generate_slots(
        config=council, place=place_for("housing-benefit", "cromer:face_to_face"), now=easter))
    assert date(2026, 4, 2) in days  # Maundy Thursday: open
    assert date(2026, 4, 3) not in days  # Good Friday
    assert date(2026, 4, 6) not in days  # Easter Monday
    assert date(2026, 4, 7) in days


def test_no_slots_on_closure_days(council, now):
    document = council.model_dump()
    document["calendar"]["closure_days"] = [{"date": date(2026, 1, 7), "reason": "Training"}]
    closed = CouncilConfig.model_validate(document)
    days = slots_by_day(generate_slots(
        config=closed, place=place_for("housing-benefit", "cromer:face_to_face"), now=now))
    assert date(2026, 1, 7) not in days and date(2026, 1, 8) in days


def test_slots_never_fall_outside_the_offices_opening_hours(council, now):
    office = council.office("fakenham")  # Mon, Wed, Fri 09:00-13:00
    schedule = AppointmentSchedule.model_validate({
        "office": "fakenham", "slot_minutes": 60, "capacity": 1,
        "days": {"monday": "08:00-15:00", "tuesday": "09:00-12:00", "saturday": "09:00-12:00"},
    })
    slots = generate_slots(config=council, place=Place(office, "face_to_face", schedule),
                           now=now - timedelta(days=1))
    times = {(t.weekday(), t.strftime("%H:%M")) for t in _local(slots)}
    assert {hm for wd, hm in times} == {"09:00", "10:00", "11:00", "12:00"}
    assert {wd for wd, hm in times} == {0}  # closed on Tuesday and Saturday


def test_slots_cross_the_clock_change_in_local_time(council):
    before = datetime(2026, 3, 27, 8, 0, tzinfo=UTC)  # the clocks go forward on 29 March
    days = slots_by_day(generate_slots(
        config=council, place=place_for("housing-benefit", "cromer:face_to_face"), now=before))
    first_after = days[date(2026, 3, 30)][0]
    assert first_after.starts_at == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # 09:00 BST


def test_phone_call_backs_are_offered_for_every_service_at_cromer(council):
    kinds = {p.key for p in places_for("missed-bin")}
    assert kinds == {"cromer:phone"}
    assert {p.key for p in places_for("housing-benefit")} == {
        "cromer:face_to_face", "cromer:phone", "fakenham:face_to_face"}


def test_a_schedule_for_an_unknown_office_is_refused(council):
    document = council.model_dump()
    document["appointments"]["schedules"][0]["office"] = "sheringham"
    with pytest.raises(Exception, match="unknown office 'sheringham'"):
        CouncilConfig.model_validate(document)


def test_every_preset_has_appointments_and_what_to_bring():
    for preset in ("north-norfolk", "north-norfolk-2021-draft", "east-northants"):
        config = read_council_file(preset)
        assert config.appointments.schedules
        assert config.appointments.what_to_bring("housing-benefit")


def test_a_full_slot_is_not_offered(council, now):
    from tests.appointments.helpers import book

    place = place_for("housing-benefit", "fakenham:face_to_face")  # capacity 1
    first = available_slots(place=place, now=now)[0]
    book(now=now, starts_at=first.starts_at, place="fakenham:face_to_face")
    assert available_slots(place=place, now=now)[0].starts_at != first.starts_at

