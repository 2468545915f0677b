"""Customers: reads for the REST API (partner systems with an API key, and signed-in staff).

An API client holding `customers:read` (checked at the edge) may look customers up; every
customer whose details an API response carries is recorded as read in the audit trail.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from frontdoor.accounts.models import Role
from frontdoor.accounts.permissions import can
from frontdoor.audit.actions import record_read
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.customers.models import Customer
from frontdoor.customers.queries import (
    customers_visible_to,
    get_customer_for_staff,
    live_customers,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    surviving_customer,
)

if TYPE_CHECKING:
    from frontdoor.accounts.models import User

MAX_RESULTS = 50
_DETAILS = ("emails", "phones", "addresses")


def _is_partner(user: User) -> bool:
    return getattr(user, "role", None) == Role.API_CLIENT


def search_customers_for_api(
    *,
    user: User,
    now: datetime,
    name: str = "",
    email: str = "",
    phone: str = "",
    postcode: str = "",
    limit: int = 20,
) -> list[Customer]:
    """Customers matching every criterion given (at least one), best-known first; reads audited."""
    if not 1 <= limit <= MAX_RESULTS:
        raise InvalidInput("limit", "invalid", f"limit is 1 to {MAX_RESULTS}")
    if not any(v.strip() for v in (name, email, phone, postcode)):
        raise InvalidInput("name", "required", "Search by name, email, phone or postcode")
    queryset = live_customers() if _is_partner(user) else customers_visible_to(user)
    if name.strip():
        for word in name.lower().split():
            queryset = queryset.filter(search_name__icontains=word)
    if email.strip():
        queryset = queryset.filter(emails__address=normalise_email(email, field="email"))
    if phone.strip():
        queryset = queryset.filter(phones__e164=normalise_phone(phone, field="phone"))
    if postcode.strip():
        queryset = queryset.filter(
            addresses__postcode=normalise_postcode(postcode, field="postcode")
        )
    found = list(
        queryset.distinct().prefetch_related(*_DETAILS).order_by("id")[:limit]
    )
    for customer in found:
        record_read(actor=user, object_type="customer", object_id=customer.pk,
                    purpose="API: customer search", at=now)
    return found


def get_customer_for_api(*, user: User, customer_id: int, now: datetime) -> Customer:
    """One customer (merged records lead to the survivor), the read audited; else NotFound."""
    if not _is_partner(user):
        return get_customer_for_staff(user=user, customer_id=customer_id,
                                      purpose="API: read customer", now=now)
    surviving = surviving_customer(customer_id)
    if surviving.erased_at is not None:
        raise NotFound(f"There is no customer {customer_id}", field="customer_id")
    record_read(actor=user, object_type="customer", object_id=surviving.pk,
                purpose="API: read customer", at=now)
    return Customer.objects.prefetch_related(*_DETAILS).get(pk=surviving.pk)


def find_customer_for_api(*, user: User, customer_id: int) -> Customer:
    """The customer a new record will name (the survivor of a merge); NotFound if not visible."""
    if not (_is_partner(user) or can(user, "customer.view")):
        raise NotFound(f"There is no customer {customer_id}", field="customer_id")
    surviving = surviving_customer(customer_id)
    if surviving.erased_at is not None:
        raise NotFound(f"There is no customer {customer_id}", field="customer_id")
    return surviving
