"""Contacts: functions that change state."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from django.db import IntegrityError, transaction

from frontdoor.accounts.permissions import require
from frontdoor.audit.actions import record_change
from frontdoor.contacts.models import Channel, Contact, Direction, FailureReason, Outcome
from frontdoor.core.errors import InvalidInput
from frontdoor.core.time import require_aware
from frontdoor.council.queries import current_council

if TYPE_CHECKING:
    from frontdoor.accounts.models import User
    from frontdoor.customers.models import Customer

# Telephony and mail servers' clocks drift a little; anything later is a typing mistake.
FUTURE_TOLERANCE = timedelta(minutes=5)


def log_contact(
    *,
    channel: str,
    direction: str = Direction.INBOUND,
    customer: Customer | None = None,
    received_at: datetime,
    service_code: str | None = None,
    summary: str,
    handled_by: User | None,
    now: datetime,
    idempotency_key: str | None = None,
    offered_at: datetime | None = None,
    answered_at: datetime | None = None,
    acknowledged_at: datetime | None = None,
    ended_at: datetime | None = None,
    handling_seconds: int | None = None,
    abandoned: bool = False,
) -> Contact:
    """Record one interaction; a retry with the same idempotency key returns the first contact."""
    if handled_by is not None:
        require(handled_by, "contact.log")
    if idempotency_key:
        existing = Contact.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    require_aware(now)
    if channel not in Channel.values:
        raise InvalidInput("channel", "invalid", f"{channel!r} is not a channel we record")
    if direction not in Direction.values:
        raise InvalidInput("direction", "invalid", "Direction must be inbound or outbound")
    validate_received_at(received_at, now=now)
    if service_code:
        require_known_service(service_code)
    timings = {
        "offered_at": offered_at,
        "answered_at": answered_at,
        "acknowledged_at": acknowledged_at,
        "ended_at": ended_at,
    }
    for value in timings.values():
        if value is not None:
            require_aware(value)
    _require_in_order(offered_at, answered_at, "answered_at", "answered before it was offered")
    _require_in_order(answered_at, ended_at, "ended_at", "ended before it was answered")
    _require_in_order(offered_at, ended_at, "ended_at", "ended before it was offered")
    if handling_seconds is not None and handling_seconds < 0:
        raise InvalidInput("handling_seconds", "negative", "Handling time cannot be negative")

    contact = Contact(
        channel=channel,
        direction=direction,
        customer=surviving_customer(customer),
        received_at=received_at,
        logged_at=now,
        service_code=service_code or "",
        summary=summary.strip(),
        handled_by=handled_by,
        abandoned=abandoned,
        handling_seconds=handling_seconds,
        outcome=Outcome.ABANDONED if abandoned else Outcome.PENDING,
        idempotency_key=idempotency_key or None,
        created_at=now,
        **timings,
    )
    try:
        with transaction.atomic():
            contact.save()
            record_change(
                actor=handled_by,
                action="contact.logged",
                object_type="contact",
                object_id=contact.pk,
                summary=f"Logged {contact.get_channel_display().lower()} contact",
                data={"channel": channel, "service_code": contact.service_code},
                at=now,
            )
    except IntegrityError:
        # Two retries raced: the other one won, so return what it created.
        if idempotency_key:
            existing = Contact.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise
    return contact


def resolve_at_first_contact(
    *,
    contact: Contact,
    outcome_note: str,
    knowledge_article_id: str | int | None = None,
    by: User,
    now: datetime,
) -> Contact:
    """Mark the contact as answered there and then (first-contact resolution)."""
    require(by, "contact.log")
    if contact.service_code:
        service = require_known_service(contact.service_code)
        if not getattr(service, "first_contact_resolvable", True):
            raise InvalidInput(
                "outcome",
                "not_resolvable",
                "This service cannot be resolved at first contact: hand it off to the team",
            )
    contact.knowledge_article_id = "" if knowledge_article_id is None else str(knowledge_article_id)
    return record_contact_outcome(
        contact=contact,
        outcome=Outcome.RESOLVED_FIRST_CONTACT,
        note=outcome_note,
        by=by,
        now=now,
        extra_fields=["knowledge_article_id"],
    )


def signpost_contact(
    *, contact: Contact, organisation: dict[str, Any], by: User, now: datetime
) -> Contact:
    """Record that we sent the customer to another organisation (name, phone, url)."""
    require(by, "contact.log")
    name = str(organisation.get("name") or "").strip()
    if not name:
        raise InvalidInput("organisation.name", "required", "Enter the organisation's name")
    phone = str(organisation.get("phone") or "").strip()
    url = str(organisation.get("url") or "").strip()
    if url and urlparse(url).scheme not in {"http", "https"}:
        raise InvalidInput("organisation.url", "invalid", "Enter a web address starting https://")
    contact.signposted_to = {"name": name, "phone": phone, "url": url}
    return record_contact_outcome(
        contact=contact,
        outcome=Outcome.SIGNPOSTED,
        note=f"Signposted to {name}",
        by=by,
        now=now,
        extra_fields=["signposted_to"],
    )


def mark_failure_demand(*, contact: Contact, reason: str, by: User, now: datetime) -> Contact:
    """Flag a contact we caused by failing to do something right first time."""
    require(by, "contact.log")
    if reason not in FailureReason.values:
        raise InvalidInput("reason", "invalid", f"{reason!r} is not a failure demand reason")
    with transaction.atomic():
        before = contact.failure_reason
        contact.failure_demand = True
        contact.failure_reason = reason
        contact.save(update_fields=["failure_demand", "failure_reason"])
        record_change(
            actor=by,
            action="contact.failure_demand_marked",
            object_type="contact",
            object_id=contact.pk,
            summary=f"Marked as failure demand ({contact.get_failure_reason_display()})",
            data={"before": before, "after": reason},
            at=now,
        )
    return contact


def record_contact_outcome(
    *,
    contact: Contact,
    outcome: str,
    note: str = "",
    by: User | None,
    now: datetime,
    extra_fields: list[str] | None = None,
) -> Contact:
    """Set what came of a contact (cases call this with case_created / case_linked); audited."""
    if outcome not in Outcome.values:
        raise InvalidInput("outcome", "invalid", f"{outcome!r} is not a contact outcome")
    with transaction.atomic():
        before = contact.outcome
        contact.outcome = outcome
        if note:
            contact.outcome_note = note.strip()
        contact.save(update_fields=["outcome", "outcome_note", *(extra_fields or [])])
        record_change(
            actor=by,
            action="contact.outcome_changed",
            object_type="contact",
            object_id=contact.pk,
            summary=f"Outcome: {contact.get_outcome_display()}",
            data={"before": before, "after": outcome},
            at=now,
        )
    return contact


def validate_received_at(received_at: datetime, *, now: datetime) -> None:
    """Received times must be aware and not in the future (beyond a little clock drift)."""
    require_aware(received_at)
    if received_at > now + FUTURE_TOLERANCE:
        raise InvalidInput(
            "received_at", "in_future", "The time the customer contacted us cannot be in the future"
        )


def require_known_service(service_code: str) -> Any:
    """The current council's service with this code, or InvalidInput."""
    try:
        service = current_council().service(service_code)
    except (KeyError, LookupError, ValueError):
        service = None
    if service is None:
        raise InvalidInput(
            "service_code", "unknown", f"{service_code!r} is not one of our services"
        )
    return service


def surviving_customer(customer: Customer | None) -> Customer | None:
    """Follow merge tombstones so new records land on the customer that survived."""
    seen = 0
    while customer is not None and customer.merged_into_id is not None and seen < 10:
        customer = customer.merged_into
        seen += 1
    return customer


def _require_in_order(
    earlier: datetime | None, later: datetime | None, field: str, problem: str
) -> None:
    if earlier is not None and later is not None and later < earlier:
        raise InvalidInput(field, "out_of_order", f"The contact {problem}")
