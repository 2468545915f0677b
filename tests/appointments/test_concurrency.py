"""No double booking when many people book the same slot at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from frontdoor.appointments.errors import SlotFull
from frontdoor.appointments.models import Appointment
from tests.appointments.helpers import book, first_free

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("place, capacity", [("fakenham:face_to_face", 1),
                                             ("cromer:face_to_face", 2)])
def test_eight_people_racing_for_one_slot_never_exceed_its_places(council, now, place,
                                                                    capacity):
    assert connection.vendor == "postgresql"
    starts = first_free(now, place=place)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(number: int) -> None:
        close_old_connections()
        try:
            barrier.wait()
            book(now=now, starts_at=starts, place=place, email=f"p{number}@example.com")
            result = "booked"
        except SlotFull:
            result = "full"
        except Exception as problem:
            result = f"error: {problem!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked"] * capacity + ["full"] * (8 - capacity)
    rows = Appointment.objects.filter(starts_at=starts, office_code=place.split(":")[0])
    assert rows.count() == capacity
    assert sorted(rows.values_list("seat", flat=True)) == list(range(1, capacity + 1))
