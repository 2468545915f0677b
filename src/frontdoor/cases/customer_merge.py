"""Cases: merging two customer records (and separating them again) across every context.

`merge_customer_records` is the one action an interface calls: in one transaction it merges
the customers (customers.actions.merge_customers), then moves the merged record's contacts and
case parties to the record kept, and records what moved in the audit trail so that
`unmerge_customer_records` can put exactly those back.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from frontdoor.accounts.models import User
from frontdoor.audit.actions import record_change
from frontdoor.audit.queries import latest_change
from frontdoor.cases.models import CaseParty
from frontdoor.contacts.customer_merge import repoint_contacts, return_contacts
from frontdoor.core.errors import Conflict, NotFound
from frontdoor.customers.actions import CustomerMerge, merge_customers, unmerge_customers
from frontdoor.customers.models import Customer
from frontdoor.customers.queries import get_customer_for_change, records_merged_into

REPOINTED = "customer.records_repointed"
RETURNED = "customer.records_returned"


def merge_customer_records(
    *, keep: Customer, merge: Customer, by: User | None, now: datetime
) -> CustomerMerge:
    """Merge `merge` into `keep` with its contacts and cases, or change nothing."""
    with transaction.atomic():
        result = merge_customers(keep=keep, merge=merge, by=by, now=now)
        contact_ids = repoint_contacts(from_customer=result.merged, to_customer=result.keep)
        # A case that already names the kept record in the same role keeps that party; the
        # merged record's party stays (its tombstone leads to the kept record).
        taken = CaseParty.objects.filter(customer=result.keep).values_list("case_id", "role")
        taken_pairs = set(taken)
        movable = [
            pk
            for pk, case_id, role in CaseParty.objects.filter(customer=result.merged).values_list(
                "pk", "case_id", "role"
            )
            if (case_id, role) not in taken_pairs
        ]
        CaseParty.objects.filter(pk__in=movable).update(customer=result.keep)
        record_change(
            actor=by,
            action=REPOINTED,
            object_type="customer",
            object_id=result.merged.pk,
            summary=(
                f"Moved {len(contact_ids)} contacts and {len(movable)} case parties "
                f"to customer {result.keep.pk}"
            ),
            data={
                "keep_id": result.keep.pk,
                "merge_entry_id": result.audit_entry_id,
                "contacts": contact_ids,
                "case_parties": sorted(movable),
            },
            at=now,
        )
    return result


def unmerge_customer_records(*, tombstone: Customer, by: User | None, now: datetime) -> Customer:
    """Separate a merged record again, with the contacts and cases the merge moved."""
    with transaction.atomic():
        keep_id = tombstone.merged_into_id
        moved = latest_change("customer", tombstone.pk, REPOINTED)
        restored = unmerge_customers(tombstone=tombstone, by=by, now=now)
        if moved is None or moved.data.get("keep_id") != keep_id:
            raise Conflict("There is no record of what this merge moved, so it cannot be undone")
        keep = Customer.objects.get(pk=keep_id)
        contact_ids = return_contacts(
            ids=moved.data.get("contacts", []), from_customer=keep, to_customer=restored
        )
        parties = CaseParty.objects.filter(pk__in=moved.data.get("case_parties", []), customer=keep)
        party_ids = sorted(parties.values_list("pk", flat=True))
        CaseParty.objects.filter(pk__in=party_ids).update(customer=restored)
        record_change(
            actor=by,
            action=RETURNED,
            object_type="customer",
            object_id=restored.pk,
            summary=f"Returned {len(contact_ids)} contacts and {len(party_ids)} case parties",
            data={"keep_id": keep_id, "contacts": contact_ids, "case_parties": party_ids},
            at=now,
        )
    return restored


def merge_customers_for_staff(
    *, user: User, keep_id: int, merge_id: int, now: datetime
) -> CustomerMerge:
    """`merge_customer_records` for two live records a member of staff names by id."""
    keep = get_customer_for_change(user=user, customer_id=keep_id, action="customer.merge", now=now)
    merge = get_customer_for_change(
        user=user, customer_id=merge_id, action="customer.merge", now=now
    )
    return merge_customer_records(keep=keep, merge=merge, by=user, now=now)


def unmerge_customers_for_staff(
    *, user: User, keep_id: int, tombstone_id: int, now: datetime
) -> Customer:
    """`unmerge_customer_records` for a record merged straight into the live record `keep_id`."""
    keep = get_customer_for_change(
        user=user, customer_id=keep_id, action="customer.unmerge", now=now
    )
    tombstone = next((c for c in records_merged_into(keep) if c.pk == int(tombstone_id)), None)
    if tombstone is None:
        raise NotFound(f"Customer {tombstone_id} is not merged into customer {keep_id}")
    return unmerge_customer_records(tombstone=tombstone, by=user, now=now)
