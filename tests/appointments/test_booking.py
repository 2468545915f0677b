"""Booking, changing and cancelling: events, messages, the reminder, capacity, access."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdoor.appointments.actions import (
    cancel_appointment,
    change_appointment,
    record_arrival,
    record_no_show,
    record_seen,
)
from frontdoor.appointments.errors import SlotFull
from frontdoor.appointments.models import Appointment
from frontdoor.appointments.queries import (
    appointment_for,
    appointment_wait_result,
    available_slots,
    place_for,
)
from frontdoor.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from frontdoor.council.actions import load_council_config
from frontdoor.council.queries import forget_council_cache
from frontdoor.notifications.models import Message
from tests.appointments.helpers import book, first_free
from tests.factories import UserFactory
from tests.portal.account_support import make_resident

pytestmark = pytest.mark.django_db


def test_booking_confirms_with_what_to_bring_and_holds_a_reminder_for_the_day_before(
        council, now):
    starts = first_free(now + timedelta(days=3))
    booked = book(now=now, starts_at=starts)
    appointment = booked.appointment
    assert appointment.reference.startswith("APT-") and appointment.status == "booked"
    assert [e.kind for e in appointment.events.all()] == ["booked"]
    confirmation = Message.objects.get(event="appointment_booked")
    assert "Proof of your income" in confirmation.body
    assert f"/appointments/manage/{booked.token}/" in confirmation.body
    assert "Holt Road, Cromer" in confirmation.body
    reminder = Message.objects.get(event="appointment_reminder")
    assert reminder.next_attempt_at == starts - timedelta(hours=24)
    assert reminder.status == "queued"


def test_a_retried_booking_returns_the_first_one(council, now):
    first = book(now=now, key="same-key")
    again = book(now=now, key="same-key")
    assert again.appointment.pk == first.appointment.pk and again.token == first.token
    assert Appointment.objects.count() == 1


def test_changing_moves_the_time_and_replaces_the_reminder(council, now):
    booked = book(now=now, starts_at=first_free(now + timedelta(days=3)))
    old_reminder = Message.objects.get(event="appointment_reminder")
    later = first_free(now + timedelta(days=7))
    moved = change_appointment(appointment=booked.appointment, starts_at=later,
                               access=booked.token, manage_link="http://x/", now=now)
    assert moved.starts_at == later and moved.status == "changed"
    old_reminder.refresh_from_db()
    assert old_reminder.status == "cancelled"
    new_reminder = Message.objects.filter(event="appointment_reminder").exclude(
        pk=old_reminder.pk).get()
    assert new_reminder.next_attempt_at == later - timedelta(hours=24)
    assert Message.objects.filter(event="appointment_changed").count() == 1
    assert [e.kind for e in moved.events.all()] == ["booked", "changed"]


def test_cancelling_frees_the_place_withdraws_the_reminder_and_tells_the_person(council, now):
    place = place_for("housing-benefit", "fakenham:face_to_face")  # one place a slot
    starts = available_slots(place=place, now=now + timedelta(days=3))[0].starts_at
    booked = book(now=now, starts_at=starts, place="fakenham:face_to_face")
    assert starts not in [s.starts_at for s in available_slots(place=place, now=now)]
    cancel_appointment(appointment=booked.appointment, access=booked.token, now=now,
                       reason="Sorted it online")
    booked.appointment.refresh_from_db()
    assert booked.appointment.status == "cancelled" and booked.appointment.seat is None
    assert Message.objects.get(event="appointment_reminder").status == "cancelled"
    assert "is cancelled" in Message.objects.get(event="case_update").body
    assert starts in [s.starts_at for s in available_slots(place=place, now=now)]
    with pytest.raises(Conflict):
        cancel_appointment(appointment=booked.appointment, access=booked.token, now=now)


def test_a_full_slot_refuses_another_booking(council, now):
    starts = first_free(now, place="fakenham:face_to_face")
    book(now=now, starts_at=starts, place="fakenham:face_to_face")
    with pytest.raises(SlotFull):
        book(now=now, starts_at=starts, place="fakenham:face_to_face", email="b@example.com")


def test_two_places_in_a_slot_take_two_people_then_it_is_full(council, now):
    starts = first_free(now)  # Cromer: capacity 2
    book(now=now, starts_at=starts)
    book(now=now, starts_at=starts, email="second@example.com")
    with pytest.raises(SlotFull):
        book(now=now, starts_at=starts, email="third@example.com")


def test_times_that_are_not_offered_are_refused(council, now):
    saturday = first_free(now).replace(day=10)
    with pytest.raises(InvalidInput) as problem:
        book(now=now, starts_at=saturday)
    assert problem.value.field == "slot"
    with pytest.raises(InvalidInput):
        book(now=now, starts_at=now - timedelta(days=1))


@pytest.mark.parametrize("details, field", [
    ({"name": ""}, "name"),
    ({"email": "not-an-email"}, "email"),
    ({"email": "", "phone": ""}, "email"),
])
def test_bad_details_are_refused_with_the_field_named(council, now, details, field):
    with pytest.raises(InvalidInput) as problem:
        book(now=now, **details)
    assert problem.value.field == field
    assert not Appointment.objects.exists()


def test_a_phone_call_back_needs_a_phone_number(council, now):
    with pytest.raises(InvalidInput) as problem:
        book(now=now, place="cromer:phone", service="missed-bin")
    assert problem.value.field == "phone"
    booked = book(now=now, place="cromer:phone", service="missed-bin", phone="07400 123456")
    assert "07400 123456" in Message.objects.get(event="appointment_booked").body
    assert booked.appointment.kind == "phone"


def test_a_resident_reaches_only_their_own_appointments(council, now):
    rita = make_resident(now=now)
    other = make_resident(now=now, email="olly@example.com", given="Olly")
    mine = book(now=now, account=rita).appointment
    theirs = book(now=now, account=other).appointment
    assert appointment_for(rita, mine.reference).pk == mine.pk
    with pytest.raises(NotFound):
        appointment_for(rita, theirs.reference)
    with pytest.raises(NotFound):
        cancel_appointment(appointment=theirs, access=rita, now=now)
    with pytest.raises(NotFound):
        appointment_for("A" * 43)
    theirs.refresh_from_db()
    assert theirs.status == "booked"


def test_arrival_and_seen_feed_the_appointment_wait_measure(council, now):
    booked = book(now=now)
    agent = UserFactory(role="agent")
    starts = booked.appointment.starts_at
    record_arrival(appointment=booked.appointment, by=agent, now=starts - timedelta(minutes=5))
    seen = record_seen(appointment=booked.appointment, by=agent,
                       now=starts + timedelta(minutes=4))
    assert seen.status == "attended"
    late = book(now=now, starts_at=starts, email="late@example.com").appointment
    record_arrival(appointment=late, by=agent, now=starts)
    record_seen(appointment=late, by=agent, now=starts + timedelta(minutes=25))
    missed = book(now=now, starts_at=first_free(now + timedelta(days=2)),
                  email="m@example.com").appointment
    record_no_show(appointment=missed, by=agent, now=missed.starts_at + timedelta(hours=1))
    assert [e.kind for e in seen.events.all()] == ["booked", "arrived", "seen"]
    # North Norfolk's charter file has no appointment-wait standard; the 2021 draft does.
    assert appointment_wait_result(start=now, end=now + timedelta(days=30)) is None
    forget_council_cache()
    load_council_config(source="north-norfolk-2021-draft", now=now)
    forget_council_cache()
    result = appointment_wait_result(start=now, end=now + timedelta(days=30))
    assert result is not None
    assert (result.count, result.met, result.holds) == (2, 1, False)  # 4 min yes, 25 min no


def test_residents_cannot_record_arrivals(council, now):
    booked = book(now=now)
    with pytest.raises(Forbidden):
        record_arrival(appointment=booked.appointment, by=make_resident(now=now), now=now)
