"""Cases: what the staff console shows about customers, where cases meet customers.

Cases sit above customers (and contacts, notifications), so the pages that show a customer
with their cases are served from here: `find_customers` (the search box: customers, a case
reference, open-case counts) and `single_customer_view` (everything the council has with a
customer). Each runs a fixed number of SQL statements, whatever the customer's history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch

from frontdoor.accounts.models import User
from frontdoor.accounts.permissions import can, require
from frontdoor.audit.actions import record_read
from frontdoor.cases.models import OPEN_STATUSES, Case, CaseParty, PartyRole
from frontdoor.cases.queries import case_due_state, cases_visible_to
from frontdoor.charter.models import Clock
from frontdoor.contacts.models import Contact
from frontdoor.contacts.queries import contacts_for_customer
from frontdoor.core.errors import Forbidden, NotFound
from frontdoor.core.time import require_aware
from frontdoor.customers.models import Customer, WarningMarker
from frontdoor.customers.queries import (
    CustomerMatch,
    find_possible_duplicates,
    get_customer_for_staff,
    records_merged_into,
    search_customers,
    surviving_customer,
)
from frontdoor.notifications.models import Message
from frontdoor.notifications.queries import messages_for_customer

# Council prefix, year, number: NN-2026-000123 (any case, spaces around it ignored).
CASE_REFERENCE = re.compile(r"^[A-Z]{1,8}-\d{4}-\d{1,9}$")
TIMELINE_LENGTH = 50
MESSAGES_SHOWN = 50


@dataclass(frozen=True)
class CustomerSearch:
    text: str
    matches: list[CustomerMatch]
    open_cases: dict[int, int]  # customer id -> open cases the user can see
    reference: str = ""  # the case reference typed, as stored ("" when none was typed)
    go_to_customer_id: int | None = None  # a reference with one customer: go straight there

    def open_cases_of(self, customer_id: int) -> int:
        return self.open_cases.get(customer_id, 0)


def find_customers(*, user: User, text: str, now: datetime, limit: int = 20) -> CustomerSearch:
    """Search results for the console's one search box, with open-case counts.

    A case reference finds the case's customers (straight to the customer when there is one).
    The customers listed are recorded in the audit trail as one read.
    """
    require_aware(now)
    if not can(user, "customer.view"):
        raise Forbidden("Your role cannot look up customers")
    text = (text or "").strip()
    if not text:
        return CustomerSearch(text="", matches=[], open_cases={})
    reference = text.upper().replace(" ", "")
    also: list[tuple[int, str]] = []
    if CASE_REFERENCE.match(reference):
        parties = CaseParty.objects.filter(
            case__in=cases_visible_to(user).filter(reference=reference)
        ).order_by("role", "pk")
        also = [
            (customer_id, "reference")
            for customer_id in parties.values_list("customer_id", flat=True)
        ]
        matches = search_customers(user=user, text="", limit=limit, also=also)
    else:
        reference = ""
        matches = search_customers(user=user, text=text, limit=limit)
    ids = [m.customer.pk for m in matches]
    open_cases = (
        dict(
            CaseParty.objects.filter(
                customer_id__in=ids,
                case__in=cases_visible_to(user).filter(status__in=OPEN_STATUSES),
            )
            .values("customer_id")
            .annotate(n=Count("case_id", distinct=True))
            .values_list("customer_id", "n")
        )
        if ids
        else {}
    )
    if ids:
        record_read(
            actor=user,
            object_type="customer_search",
            object_id=len(ids),
            purpose="find a customer",
            at=now,
            data={"customer_ids": ids},
        )
    go_to = ids[0] if reference and len(ids) == 1 else None
    return CustomerSearch(
        text=text,
        matches=matches,
        open_cases=open_cases,
        reference=reference,
        go_to_customer_id=go_to,
    )


@dataclass(frozen=True)
class CustomerCase:
    case: Case
    role: str
    due_state: str  # on_track, at_risk or breached for an open case; "" when closed


@dataclass(frozen=True)
class SingleCustomerView:
    customer: Customer
    warnings: list[WarningMarker]
    open_cases: list[CustomerCase]
    closed_cases: list[CustomerCase]
    contacts: list[Contact]
    messages: list[Message]
    duplicates: list[Customer]
    merged_records: list[Customer]
    can_merge: bool
    can_unmerge: bool
    can_mark_warning: bool
    removed_warnings: list[WarningMarker] = field(default_factory=list)


class MergedRecord(Exception):
    """The record asked for was merged: its details live at `survivor_id` now."""

    def __init__(self, survivor_id: int):
        super().__init__(f"This record was merged into customer {survivor_id}")
        self.survivor_id = survivor_id


def single_customer_view(
    *, user: User, customer_id: int, now: datetime, purpose: str = "single customer view"
) -> SingleCustomerView:
    """Everything the council has with a customer, for staff; the read is audited.

    Forbidden for roles that may not see customers; NotFound for unknown or erased records;
    MergedRecord (nothing read) for a record merged into another.
    """
    require(user, "customer.view")
    survivor = surviving_customer(customer_id)
    if survivor.pk != int(customer_id) and survivor.erased_at is None:
        raise MergedRecord(survivor.pk)
    customer = get_customer_for_staff(user=user, customer_id=customer_id, purpose=purpose, now=now)
    parties = list(
        CaseParty.objects.filter(customer=customer, case__in=cases_visible_to(user))
        .select_related("case", "case__owner")
        .prefetch_related(Prefetch("case__clocks", queryset=Clock.objects.order_by("due_at", "id")))
        .order_by("-case__received_at", "-case__id", "role")
    )
    open_cases: list[CustomerCase] = []
    closed_cases: list[CustomerCase] = []
    seen: set[int] = set()
    for party in parties:
        case = party.case
        if case.pk in seen:
            continue
        seen.add(case.pk)
        if case.is_open:
            open_cases.append(CustomerCase(case, party.role, case_due_state(case, now)))
        else:
            closed_cases.append(CustomerCase(case, party.role, ""))
    # Soonest due first: what the customer is most likely calling about.
    open_cases.sort(key=lambda c: (c.case.due_at is None, c.case.due_at or now, c.case.pk))
    markers = list(customer.warning_markers.all())
    return SingleCustomerView(
        customer=customer,
        warnings=sorted(
            (m for m in markers if m.removed_at is None), key=lambda m: (m.added_at, m.pk)
        ),
        removed_warnings=[m for m in markers if m.removed_at is not None],
        open_cases=open_cases,
        closed_cases=closed_cases,
        contacts=contacts_for_customer(customer, limit=TIMELINE_LENGTH),
        messages=list(messages_for_customer(customer.pk)[:MESSAGES_SHOWN]),
        duplicates=find_possible_duplicates(customer),
        merged_records=records_merged_into(customer),
        can_merge=can(user, "customer.merge"),
        can_unmerge=can(user, "customer.unmerge"),
        can_mark_warning=can(user, "customer.mark_warning"),
    )


@dataclass(frozen=True)
class MergeSide:
    customer: Customer
    open_cases: int
    closed_cases: int
    contacts: int


@dataclass(frozen=True)
class MergePreview:
    keep: MergeSide
    merge: MergeSide


def merge_preview(*, user: User, keep_id: int, merge_id: int, now: datetime) -> MergePreview:
    """Both records side by side before a merge (each read audited as "compare to merge")."""
    require(user, "customer.merge")
    if int(keep_id) == int(merge_id):
        raise NotFound("Choose two different customers to merge")
    sides = []
    for customer_id in (keep_id, merge_id):
        customer = get_customer_for_staff(
            user=user, customer_id=customer_id, purpose="compare records to merge", now=now
        )
        if customer.pk != int(customer_id):
            raise NotFound(f"Customer {customer_id} was already merged into {customer.pk}")
        counts = dict(
            CaseParty.objects.filter(customer=customer, role=PartyRole.CUSTOMER)
            .values_list("case__status")
            .annotate(n=Count("case_id"))
            .values_list("case__status", "n")
        )
        sides.append(
            MergeSide(
                customer=customer,
                open_cases=sum(n for status, n in counts.items() if status in OPEN_STATUSES),
                closed_cases=sum(n for status, n in counts.items() if status not in OPEN_STATUSES),
                contacts=Contact.objects.filter(customer=customer).count(),
            )
        )
    return MergePreview(keep=sides[0], merge=sides[1])
