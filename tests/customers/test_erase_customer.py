"""Erasure removes a person's data but keeps the counts the council reports."""

from __future__ import annotations

import pytest
from django.db.models import Count

from frontdoor.audit.queries import entries_for
from frontdoor.core.errors import Conflict, Forbidden, InvalidInput
from frontdoor.customers.actions import (
    add_representative,
    create_customer,
    erase_customer,
    merge_customers,
    update_customer,
)
from frontdoor.customers.models import ERASED_NAME, Customer
from tests.factories import CustomerFactory, EmailAddressFactory


def _by_ward():
    return dict(
        Customer.objects.values_list("ward_code")
        .annotate(n=Count("id"))
        .values_list("ward_code", "n")
    )


@pytest.fixture
def customer(agent, now):
    c = create_customer(
        kind="person",
        title="Mrs",
        given_name="Ann",
        family_name="Smith",
        date_of_birth="1950-02-03",
        needs="Uses a wheelchair",
        vulnerability_flags=["mobility"],
        emails=["ann@example.com"],
        phones=["07400 123456"],
        addresses=[{"line1": "1 Church Street", "postcode": "NR25 6BN"}],
        by=agent,
        now=now,
    )
    add_representative(customer=c, name="Cllr Brown", role="councillor", by=agent, now=now)
    Customer.objects.filter(pk=c.pk).update(ward_code="holt")
    c.refresh_from_db()
    return c


def test_erasure_removes_personal_data_but_keeps_counts_by_ward(customer, manager, now):
    CustomerFactory(ward_code="holt")
    CustomerFactory(ward_code="cromer-town")
    counts_before = _by_ward()
    erase_customer(customer=customer, by=manager, now=now, reason="Subject's erasure request")
    customer.refresh_from_db()
    assert customer.display_name == ERASED_NAME
    assert (customer.given_name, customer.family_name, customer.title) == ("", "", "")
    assert customer.date_of_birth is None and customer.needs == ""
    assert customer.vulnerability_flags == []
    for related in ("emails", "phones", "addresses", "representatives", "warning_markers"):
        assert not getattr(customer, related).exists(), related
    assert (customer.kind, customer.ward_code, customer.erased_at) == ("person", "holt", now)
    assert _by_ward() == counts_before
    # The history no longer holds the personal data it recorded.
    history = " ".join(f"{e.summary} {e.data}" for e in customer.events.all())
    assert "ann@example.com" not in history and "Smith" not in history
    entry = entries_for("customer", customer.pk).filter(action="customer.erased").get()
    assert "Smith" not in str(entry.data) and "ann@example.com" not in str(entry.data)
    assert entry.data["removed"]["emails"] == 1


def test_erased_customer_cannot_be_changed(customer, manager, now):
    erase_customer(customer=customer, by=manager, now=now, reason="Request")
    customer.refresh_from_db()
    with pytest.raises(Conflict):
        update_customer(
            customer=customer,
            changes={"family_name": "Back"},
            expected_version=customer.version,
            by=manager,
            now=now,
        )


def test_erasure_also_erases_records_merged_into_the_customer(customer, manager, now):
    dup = CustomerFactory(given_name="Anne", family_name="Smyth")
    EmailAddressFactory(customer=dup)
    merge_customers(keep=customer, merge=dup, by=manager, now=now)
    erase_customer(customer=customer, by=manager, now=now, reason="Request")
    dup.refresh_from_db()
    assert dup.erased_at == now and dup.family_name == ""


def test_only_managers_erase_and_a_reason_is_needed(customer, leader, manager, now):
    with pytest.raises(Forbidden):
        erase_customer(customer=customer, by=leader, now=now, reason="Request")
    with pytest.raises(InvalidInput) as refused:
        erase_customer(customer=customer, by=manager, now=now, reason="  ")
    assert refused.value.field == "reason"
    customer.refresh_from_db()
    assert customer.erased_at is None and customer.emails.exists()
