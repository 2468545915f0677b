"""Customers: reads. `get_customer_for_staff` is the query that serves personal data to staff,
and it records every read in the audit trail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from rapidfuzz import fuzz, utils

from frontdoor.accounts.permissions import can
from frontdoor.audit.actions import record_read
from frontdoor.core.errors import NotFound
from frontdoor.core.time import require_aware
from frontdoor.customers.models import Customer, CustomerKind
from frontdoor.customers.validation import (
    normalise_email,
    normalise_phone,
    normalise_postcode,
)
from frontdoor.notifications.recipients import Formats, Recipient

__all__ = [
    "customers_visible_to",
    "find_possible_duplicates",
    "get_customer_for_staff",
    "normalise_email",
    "normalise_phone",
    "normalise_postcode",
    "surviving_customer",
]

# A name this similar (0-100, token order ignored) at the same postcode suggests a duplicate.
NAME_SIMILARITY_THRESHOLD = 85.0

_DETAILS = ("emails", "phones", "addresses", "consents", "warning_markers", "representatives")


def live_customers() -> QuerySet[Customer]:
    """Customers that are neither merged into another record nor erased."""
    return Customer.objects.filter(merged_into__isnull=True, erased_at__isnull=True)


def customers_visible_to(user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[Customer]:
    """Live customers the user may look up: all of them for staff who serve customers, else none.

    Listing only: whoever shows a customer's details must use get_customer_for_staff.
    """
    if not can(user, "customer.view"):
        return Customer.objects.none()
    return live_customers()


def surviving_customer(customer_id: int) -> Customer:
    """The record `customer_id` now lives in, following merge tombstones (NotFound if none)."""
    seen: set[int] = set()
    customer = Customer.objects.filter(pk=customer_id).first()
    while customer is not None and customer.merged_into_id is not None:
        if customer.pk in seen:  # a loop can only come from hand-edited data
            break
        seen.add(customer.pk)
        customer = Customer.objects.filter(pk=customer.merged_into_id).first()
    if customer is None:
        raise NotFound(f"There is no customer {customer_id}", field="customer_id")
    return customer


def get_customer_for_staff(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    customer_id: int,
    purpose: str,
    now: datetime,
    request_id: str = "",
    ip: str | None = None,
) -> Customer:
    """The customer (merged records redirect to the surviving one) with their details.

    Records the read, with its purpose, in the audit trail. NotFound when the user may not
    see customers, the id is unknown, or the record was erased.
    """
    require_aware(now)
    if not can(user, "customer.view") or isinstance(user, AnonymousUser) or user is None:
        raise NotFound(f"There is no customer {customer_id}", field="customer_id")
    surviving = surviving_customer(customer_id)
    if surviving.erased_at is not None or surviving.merged_into_id is not None:
        raise NotFound(f"There is no customer {customer_id}", field="customer_id")
    data: dict[str, Any] = {}
    if surviving.pk != int(customer_id):
        data["requested_id"] = int(customer_id)
    record_read(
        actor=user,
        object_type="customer",
        object_id=surviving.pk,
        purpose=purpose,
        at=now,
        data=data,
        request_id=request_id,
        ip=ip,
    )
    return Customer.objects.prefetch_related(*_DETAILS).get(pk=surviving.pk)


def _name_of(customer: Customer) -> str:
    if customer.kind == CustomerKind.ORGANISATION:
        return utils.default_process(customer.organisation_name)
    return utils.default_process(f"{customer.given_name} {customer.family_name}")


def find_possible_duplicates(customer: Customer) -> list[Customer]:
    """Other live customers sharing an email or phone, or with a similar name at a same postcode.

    Exact matches (email, phone) come first, then name matches by similarity; each customer once.
    """
    others = live_customers().exclude(pk=customer.pk)
    emails = list(customer.emails.values_list("address", flat=True))
    phones = list(customer.phones.values_list("e164", flat=True))
    postcodes = list(customer.addresses.values_list("postcode", flat=True))

    found: dict[int, Customer] = {}
    for match in (
        others.filter(emails__address__in=emails).order_by("pk") if emails else [],
        others.filter(phones__e164__in=phones).order_by("pk") if phones else [],
    ):
        for other in match:
            found.setdefault(other.pk, other)

    name = _name_of(customer)
    if postcodes and name:
        scored: list[tuple[float, int, Customer]] = []
        nearby = others.filter(kind=customer.kind, addresses__postcode__in=postcodes).distinct()
        for other in nearby:
            if other.pk in found:
                continue
            score = fuzz.token_sort_ratio(name, _name_of(other))
            if score >= NAME_SIMILARITY_THRESHOLD:
                scored.append((score, other.pk, other))
        for _score, _pk, other in sorted(scored, key=lambda s: (-s[0], s[1])):
            found[other.pk] = other
    return list(found.values())


def recipient_for_customer(customer: Customer) -> Recipient:
    """How to reach the customer: their preferred channel, language and formats, for the outbox."""
    emails = sorted(customer.emails.all(), key=lambda e: not e.is_primary)
    phones = sorted(
        (p for p in customer.phones.all() if p.kind == "mobile"), key=lambda p: not p.is_primary
    )
    addresses = sorted(customer.addresses.all(), key=lambda a: not a.is_primary)
    address_lines: tuple[str, ...] = ()
    if addresses:
        a = addresses[0]
        address_lines = tuple(
            part for part in (customer.display_name, a.line1, a.line2, a.town, a.postcode) if part
        )
    preferred = {"email": "email", "sms": "sms", "letter": "letter"}.get(
        customer.preferred_channel, "email"
    )
    formats = set(customer.alternative_formats or [])
    return Recipient(
        name=customer.display_name,
        email=emails[0].address if emails else "",
        phone_e164=phones[0].e164 if phones else "",
        address_lines=address_lines,
        preferred_channel=preferred,
        language=customer.preferred_language or "en",
        formats=Formats(large_print="large_print" in formats, braille="braille" in formats),
    )
