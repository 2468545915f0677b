"""Helpers for appointments tests: book through the real action."""

from __future__ import annotations

import secrets
from datetime import datetime

from frontdoor.accounts.models import User
from frontdoor.appointments.actions import Booked, BookingDetails, book_appointment
from frontdoor.appointments.queries import available_slots, place_for

CROMER = "cromer:face_to_face"


def manage_url(token: str) -> str:
    return f"http://testserver/appointments/manage/{token}/"


def first_free(now: datetime, *, service: str = "housing-benefit", place: str = CROMER
               ) -> datetime:
    return available_slots(place=place_for(service, place), now=now)[0].starts_at


def book(*, now: datetime, starts_at: datetime | None = None, service: str = "housing-benefit",
         place: str = CROMER, account: User | None = None, name: str = "Gail Guest",
         email: str = "gail@example.com", phone: str = "", key: str | None = None) -> Booked:
    return book_appointment(
        service_code=service, place_key=place,
        starts_at=starts_at or first_free(now, service=service, place=place),
        details=BookingDetails(name=name, email=email, phone=phone, about="My claim"),
        account=account, manage_url=manage_url, now=now,
        idempotency_key=key or secrets.token_urlsafe(16),
    )
