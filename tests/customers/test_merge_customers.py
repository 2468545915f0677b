"""Merging duplicates moves every detail to the record kept; unmerging puts it all back."""

from __future__ import annotations

import pytest

from frontdoor.audit.queries import entries_for
from frontdoor.core.errors import Conflict, Forbidden, InvalidInput
from frontdoor.customers.actions import (
    add_warning_marker,
    merge_customers,
    record_consent,
    unmerge_customers,
    update_customer,
)
from frontdoor.customers.queries import get_customer_for_staff
from tests.factories import (
    AddressFactory,
    CustomerFactory,
    EmailAddressFactory,
    PhoneNumberFactory,
)


@pytest.fixture
def pair(leader, now):
    keep = CustomerFactory(given_name="Ann", family_name="Smith")
    EmailAddressFactory(customer=keep, address="ann@example.com")
    dup = CustomerFactory(given_name="Anne", family_name="Smith")
    EmailAddressFactory(customer=dup, address="anne@example.com", is_primary=True)
    PhoneNumberFactory(customer=dup)
    AddressFactory(customer=dup)
    record_consent(customer=dup, purpose="tell_us_once", by=leader, now=now)
    add_warning_marker(
        customer=dup, category="verbal_abuse", description="Shouted at staff", by=leader, now=now
    )
    return keep, dup


def _details(customer):
    return {
        "emails": sorted(customer.emails.values_list("address", "is_primary")),
        "phones": sorted(customer.phones.values_list("e164", flat=True)),
        "addresses": sorted(customer.addresses.values_list("postcode", flat=True)),
        "consents": customer.consents.count(),
        "markers": customer.warning_markers.count(),
    }


def test_merge_moves_details_and_leaves_a_tombstone_that_redirects(pair, leader, agent, now):
    keep, dup = pair
    merge = merge_customers(keep=keep, merge=dup, by=leader, now=now)
    dup.refresh_from_db()
    assert dup.merged_into == keep and dup.merged_at == now
    details = _details(keep)
    # The kept record's primary email stays primary; the duplicate's is demoted.
    assert details["emails"] == [("ann@example.com", True), ("anne@example.com", False)]
    assert (len(details["phones"]), details["addresses"]) == (1, ["NR27 9EN"])
    assert (details["consents"], details["markers"]) == (1, 1)
    assert _details(dup) == {
        "emails": [],
        "phones": [],
        "addresses": [],
        "consents": 0,
        "markers": 0,
    }
    found = get_customer_for_staff(user=agent, customer_id=dup.pk, purpose="Call", now=now)
    assert found == keep
    entry = entries_for("customer", dup.pk).filter(action="customer.merged").get()
    assert entry.pk == merge.audit_entry_id and entry.data["keep_id"] == keep.pk
    assert keep.events.filter(action="merged_in").exists()


def test_unmerge_restores_both_records_as_they_were(pair, leader, now):
    keep, dup = pair
    before_keep, before_dup = _details(keep), _details(dup)
    merge_customers(keep=keep, merge=dup, by=leader, now=now)
    restored = unmerge_customers(tombstone=dup, by=leader, now=now)
    assert restored.merged_into is None
    assert _details(keep) == before_keep
    assert _details(dup) == before_dup
    assert entries_for("customer", dup.pk).filter(action="customer.unmerged").exists()
    with pytest.raises(Conflict):
        unmerge_customers(tombstone=dup, by=leader, now=now)


def test_a_tombstone_cannot_be_edited_or_merged_again(pair, leader, now):
    keep, dup = pair
    merge_customers(keep=keep, merge=dup, by=leader, now=now)
    dup.refresh_from_db()
    with pytest.raises(Conflict):
        update_customer(
            customer=dup, changes={"needs": "x"}, expected_version=dup.version, by=leader, now=now
        )
    with pytest.raises(Conflict):
        merge_customers(keep=keep, merge=dup, by=leader, now=now)


def test_merge_needs_two_customers_and_a_team_leader(pair, leader, agent, now):
    keep, dup = pair
    with pytest.raises(InvalidInput):
        merge_customers(keep=keep, merge=keep, by=leader, now=now)
    with pytest.raises(Forbidden):
        merge_customers(keep=keep, merge=dup, by=agent, now=now)
    dup.refresh_from_db()
    assert dup.merged_into is None and dup.emails.count() == 1
