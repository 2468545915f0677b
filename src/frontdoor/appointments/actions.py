"""Appointments: book, change and cancel (residents and guests), arrival and seen (staff).

Every change is an `AppointmentEvent` and tells the person through the outbox in the same
transaction: appointment_booked / appointment_changed (with where, when and what to bring),
a reminder held until `reminder_hours_before` the time (cancelled and queued again when the
time moves), and a case_update-style notice when it is cancelled.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from frontdoor.accounts.models import Role, User
from frontdoor.accounts.permissions import require
from frontdoor.appointments.errors import SlotFull
from frontdoor.appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentEvent,
    EventKind,
    Status,
)
from frontdoor.appointments.queries import (
    Access,
    Place,
    appointment_for,
    offered_slot,
    place_for,
    place_words,
    service_name,
    token_hash,
    what_to_bring,
)
from frontdoor.core.errors import Conflict, InvalidInput, NotFound
from frontdoor.core.time import require_aware, to_london
from frontdoor.council.queries import current_council
from frontdoor.customers.self_service import customer_for_account
from frontdoor.customers.validation import normalise_email, normalise_phone
from frontdoor.notifications.actions import cancel_message, queue_message
from frontdoor.notifications.errors import NoChannel
from frontdoor.notifications.recipients import Recipient

MAX_ABOUT = 1000
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read out on the phone


@dataclass(frozen=True)
class BookingDetails:
    name: str
    email: str = ""
    phone: str = ""
    about: str = ""


@dataclass(frozen=True)
class Booked:
    appointment: Appointment
    token: str  # the private link's token (shown once; only its SHA-256 is stored)


ManageUrl = Callable[[str], str]  # token -> absolute link to manage the booking


def manage_token(idempotency_key: str) -> str:
    # Derived from the journey's random key with the server's secret, so a retried booking
    # (a double click whose first response was lost) shows the same link again.
    digest = hmac.new(settings.SECRET_KEY.encode(), f"appointment:{idempotency_key}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def check_details(details: BookingDetails, *, kind: str) -> BookingDetails:
    """The person's details cleaned, or InvalidInput naming the first field that is wrong."""
    name = " ".join((details.name or "").split())
    if not name:
        raise InvalidInput("name", "required", "Enter your full name")
    if len(name) > 200:
        raise InvalidInput("name", "too_long", "Your name must be 200 characters or fewer")
    email = normalise_email(details.email, field="email") if details.email.strip() else ""
    phone = normalise_phone(details.phone, field="phone") if details.phone.strip() else ""
    if kind == "phone" and not phone:
        raise InvalidInput("phone", "required", "Enter the phone number we should call")
    if not email and not phone:
        raise InvalidInput("email", "required",
                           "Enter an email address or a mobile number so we can confirm it")
    about = (details.about or "").strip()
    if len(about) > MAX_ABOUT:
        raise InvalidInput("about", "too_long",
                           f"What it is about must be {MAX_ABOUT} characters or fewer")
    return BookingDetails(name=name, email=email, phone=phone, about=about)


def book_appointment(
    *,
    service_code: str,
    place_key: str,
    starts_at: datetime,
    details: BookingDetails,
    account: User | None,
    manage_url: ManageUrl,
    now: datetime,
    idempotency_key: str,
) -> Booked:
    """Book a free place in a configured slot and confirm it; the same key returns the first.

    SlotFull if the last place went meanwhile; nothing is stored unless everything is.
    """
    require_aware(now)
    if not idempotency_key:
        raise InvalidInput("idempotency_key", "required", "Each booking needs its key")
    resident = _resident(account)
    token = manage_token(idempotency_key)
    existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return Booked(existing, token)
    place = place_for(service_code, place_key)
    slot = offered_slot(place=place, starts_at=starts_at, now=now)
    details = check_details(details, kind=place.kind)
    try:
        with transaction.atomic():
            appointment = Appointment(
                reference=_new_reference(), office_code=place.office.code,
                service_code=service_code, kind=place.kind, starts_at=slot.starts_at,
                ends_at=slot.ends_at, account=resident,
                customer=customer_for_account(resident) if resident is not None else None,
                name=details.name, email=details.email, phone=details.phone,
                about=details.about, manage_token_hash=token_hash(token),
                idempotency_key=idempotency_key, created_at=now, updated_at=now,
            )
            _take_seat(appointment, place=place, capacity=slot.capacity)
            event = _record(appointment, EventKind.BOOKED, by=resident, now=now,
                            summary=f"Booked for {_when(appointment)}")
            _tell(appointment, "appointment_booked", key=f"appointment-event:{event.pk}",
                  manage_url=manage_url(token), now=now)
            _queue_reminder(appointment, event=event, manage_url=manage_url(token), now=now)
    except IntegrityError:
        existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return Booked(existing, token)
        raise
    return Booked(appointment, token)


def change_appointment(
    *, appointment: Appointment, starts_at: datetime, access: Access, manage_link: str = "",
    now: datetime,
) -> Appointment:
    """Move a booking to another free slot at the same place; the reminder moves with it.

    `manage_link` goes in the messages (the guest's private link, or My Account's page).
    """
    require_aware(now)
    with transaction.atomic():
        current = _lock_for(access, appointment)
        _require_active(current, now)
        place = place_for(current.service_code, f"{current.office_code}:{current.kind}")
        slot = offered_slot(place=place, starts_at=starts_at, now=now)
        if slot.starts_at == current.starts_at:
            raise InvalidInput("slot", "same_time", "Choose a different time from your booking")
        before = _when(current)
        current.starts_at, current.ends_at = slot.starts_at, slot.ends_at
        current.status, current.updated_at = Status.CHANGED, now
        _take_seat(current, place=place, capacity=slot.capacity)
        event = _record(current, EventKind.CHANGED, by=_by(access), now=now,
                        summary=f"Moved from {before} to {_when(current)}")
        link = manage_link
        _cancel_reminder(current, now=now)
        _tell(current, "appointment_changed", key=f"appointment-event:{event.pk}",
              manage_url=link, now=now)
        _queue_reminder(current, event=event, manage_url=link, now=now)
    return current


def cancel_appointment(*, appointment: Appointment, access: Access, now: datetime,
                       reason: str = "") -> Appointment:
    """Cancel a booking: its place is free again, the reminder is withdrawn, the person told."""
    require_aware(now)
    with transaction.atomic():
        current = _lock_for(access, appointment)
        _require_active(current, now)
        current.status, current.seat = Status.CANCELLED, None
        current.cancelled_at = current.updated_at = now
        current.save(update_fields=["status", "seat", "cancelled_at", "updated_at"])
        event = _record(current, EventKind.CANCELLED, by=_by(access), now=now,
                        summary="Cancelled" + (f": {reason.strip()[:500]}" if reason.strip()
                                               else ""))
        _cancel_reminder(current, now=now)
        _tell(current, "case_update", key=f"appointment-event:{event.pk}", now=now,
              update=f"Your appointment on {_when(current)} is cancelled. "
                     "Book again on our website if you still need one.")
    return current


def record_arrival(*, appointment: Appointment, by: User, now: datetime) -> Appointment:
    """Reception: the person has arrived (the wait to be seen starts at their time)."""
    return _staff_mark(appointment, by=by, now=now, kind=EventKind.ARRIVED)


def record_seen(*, appointment: Appointment, by: User, now: datetime) -> Appointment:
    """Staff: the person was seen now (the appointment-wait measure compares this with the time)."""
    return _staff_mark(appointment, by=by, now=now, kind=EventKind.SEEN)


def record_no_show(*, appointment: Appointment, by: User, now: datetime) -> Appointment:
    """Staff: the person did not come."""
    return _staff_mark(appointment, by=by, now=now, kind=EventKind.NO_SHOW)


# ----------------------------------------------------------------------------- helpers


def _resident(account: User | None) -> User | None:
    if account is None or not account.is_authenticated:
        return None
    if account.role != Role.RESIDENT:
        raise InvalidInput("account", "not_resident", "Staff book for people in the console")
    return account


def _new_reference() -> str:
    while True:
        reference = "APT-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))
        if not Appointment.objects.filter(reference=reference).exists():
            return reference


def _take_seat(appointment: Appointment, *, place: Place, capacity: int) -> None:
    """Save the booking in the lowest free place of its slot; SlotFull when none is left.

    The unique constraint decides between two people booking at once: the loser's insert
    fails inside its savepoint and it tries the next place.
    """
    taken = set(
        Appointment.objects.filter(office_code=place.office.code, kind=place.kind,
                                   starts_at=appointment.starts_at, seat__isnull=False)
        .exclude(pk=appointment.pk).values_list("seat", flat=True)
    )
    for seat in range(1, capacity + 1):
        if seat in taken:
            continue
        appointment.seat = seat
        try:
            with transaction.atomic():
                appointment.save()
            return
        except IntegrityError as problem:
            if "seat" not in str(problem) and "appointment_one_person_per_seat" not in str(
                    problem):
                raise
            continue
    raise SlotFull("Sorry, someone has just booked the last place at that time. "
                   "Choose another time", field="slot")


def _lock_for(access: Access, appointment: Appointment) -> Appointment:
    """The booking again, locked, if `access` reaches it (never trust the view's look-up)."""
    if not isinstance(access, str):
        require(access, "portal.use")
    found = appointment_for(access, appointment.reference)
    if found.pk != appointment.pk:
        raise NotFound("No such appointment")
    return Appointment.objects.select_for_update().get(pk=appointment.pk)


def _require_active(appointment: Appointment, now: datetime) -> None:
    if appointment.status not in ACTIVE_STATUSES:
        raise Conflict("This appointment is cancelled or over, so it cannot be changed",
                       field="appointment")
    if appointment.starts_at <= now:
        raise Conflict("This appointment has started, so it cannot be changed online. "
                       "Call us instead", field="appointment")


def _by(access: Access) -> User | None:
    return None if isinstance(access, str) else access


def _record(appointment: Appointment, kind: str, *, by: User | None, now: datetime,
            summary: str, data: dict[str, object] | None = None) -> AppointmentEvent:
    label = "staff" if by is not None and by.role != Role.RESIDENT else (
        "resident" if by is not None else "private link")
    return AppointmentEvent.objects.create(
        appointment=appointment, at=now, by=by, by_label=label, kind=kind, summary=summary,
        data={"starts_at": appointment.starts_at.isoformat(), **(data or {})},
    )


def _when(appointment: Appointment) -> str:
    local = to_london(appointment.starts_at)
    return (local.strftime("%A %-d %B %Y at %-I:%M%p").replace("AM", "am")
            .replace("PM", "pm"))


def _recipient(appointment: Appointment) -> Recipient:
    return Recipient(name=appointment.name, email=appointment.email,
                     phone_e164=appointment.phone, address_lines=(),
                     preferred_channel="email" if appointment.email else "sms",
                     language="en")


def _place_text(appointment: Appointment, manage_url: str) -> str:
    # The outbox's appointment events carry reference, appointment_at and place only, so
    # what to bring and the private link travel in the place text.
    text = place_words(appointment)
    bring = what_to_bring(appointment.service_code)
    text += f" ({service_name(appointment.service_code)})"
    if bring:
        text += ". Please bring: " + "; ".join(bring)
    if manage_url:
        text += f". To change or cancel it: {manage_url}"
    return text


def _tell(appointment: Appointment, event: str, *, key: str, now: datetime,
          manage_url: str = "", update: str = "", send_after: datetime | None = None
          ) -> str:
    """Queue one message about the booking; "" when the person cannot be reached."""
    data: dict[str, object] = {"reference": appointment.reference}
    if event == "case_update":
        data["update"] = update
    else:
        data.update(appointment_at=appointment.starts_at,
                    place=_place_text(appointment, manage_url))
    try:
        queue_message(event=event, recipient=_recipient(appointment), data=data,
                      idempotency_key=key, subject_ref=("appointment", appointment.reference),
                      customer_ref=appointment.customer_id, now=now, send_after=send_after)
    except NoChannel:
        return ""
    return key


def _queue_reminder(appointment: Appointment, *, event: AppointmentEvent, manage_url: str,
                    now: datetime) -> None:
    hours = _reminder_hours()
    send_after = appointment.starts_at - timedelta(hours=hours)
    if send_after <= now:  # booked for within the reminder period: the confirmation is enough
        appointment.reminder_key = ""
    else:
        appointment.reminder_key = _tell(
            appointment, "appointment_reminder", key=f"appointment-reminder:{event.pk}",
            manage_url=manage_url, now=now, send_after=send_after)
    appointment.save(update_fields=["reminder_key"])


def _cancel_reminder(appointment: Appointment, *, now: datetime) -> None:
    if appointment.reminder_key:
        cancel_message(idempotency_key=appointment.reminder_key, by_label="appointments",
                       now=now)
        appointment.reminder_key = ""
        appointment.save(update_fields=["reminder_key"])


def _reminder_hours() -> int:
    return current_council().appointments.reminder_hours_before


def _staff_mark(appointment: Appointment, *, by: User, now: datetime, kind: str) -> Appointment:
    require_aware(now)
    require(by, "case.view")
    with transaction.atomic():
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if current.status == Status.CANCELLED:
            raise Conflict("This appointment was cancelled", field="appointment")
        if kind == EventKind.ARRIVED:
            if current.arrived_at is not None:
                raise Conflict("Arrival is already recorded", field="appointment")
            current.arrived_at = now
        elif kind == EventKind.SEEN:
            if current.seen_at is not None:
                raise Conflict("Already recorded as seen", field="appointment")
            current.seen_at = now
            current.arrived_at = current.arrived_at or now
            current.status = Status.ATTENDED
        else:
            if current.arrived_at is not None:
                raise Conflict("The person arrived, so they came", field="appointment")
            current.status, current.seat = Status.NO_SHOW, None
        current.updated_at = now
        current.save()
        _record(current, kind, by=by, now=now, summary=EventKind(kind).label)
    return current
