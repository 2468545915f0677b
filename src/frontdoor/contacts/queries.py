"""Contacts: reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from frontdoor.contacts.models import Contact

if TYPE_CHECKING:
    from frontdoor.accounts.models import User
    from frontdoor.customers.models import Customer

# Residents and API clients see their own interactions through the portal and API, not here.
_NO_STAFF_VIEW = {"resident", "api_client"}


def contacts_for_customer(customer: Customer, limit: int = 50) -> list[Contact]:
    """The customer's timeline, newest first, including customers merged into them."""
    return list(
        Contact.objects.filter(Q(customer=customer) | Q(customer__merged_into=customer))
        .select_related("handled_by")
        .order_by("-received_at", "-id")[:limit]
    )


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    """Every contact for staff (the front line needs the whole picture); none for others."""
    if not user.is_active or user.role in _NO_STAFF_VIEW:
        return Contact.objects.none()
    return Contact.objects.all()
