"""Contacts: moving a customer's contacts when customer records are merged or separated again.

Called only by `cases.customer_merge`, inside the transaction that merges the customers (see
the customers.actions module docstring); it records nothing itself: the caller writes one
audit entry that lists the ids moved, so the move can be undone exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

from frontdoor.contacts.models import Contact
from frontdoor.customers.models import Customer


def repoint_contacts(*, from_customer: Customer, to_customer: Customer) -> list[int]:
    """Move every contact of `from_customer` to `to_customer`; the ids moved."""
    ids = sorted(Contact.objects.filter(customer=from_customer).values_list("pk", flat=True))
    Contact.objects.filter(pk__in=ids).update(customer=to_customer)
    return ids


def return_contacts(
    *, ids: Sequence[int], from_customer: Customer, to_customer: Customer
) -> list[int]:
    """Move back the contacts `ids` that still belong to `from_customer`; the ids moved."""
    rows = Contact.objects.filter(pk__in=list(ids), customer=from_customer)
    moved = sorted(rows.values_list("pk", flat=True))
    Contact.objects.filter(pk__in=moved).update(customer=to_customer)
    return moved
