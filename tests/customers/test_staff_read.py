"""Staff see customers through one query, and every look is recorded."""

from __future__ import annotations

import pytest

from frontdoor.audit.queries import reads_by
from frontdoor.core.errors import NotFound
from frontdoor.customers.queries import customers_visible_to, get_customer_for_staff
from tests.factories import CustomerFactory, EmailAddressFactory, UserFactory


def test_staff_read_returns_the_customer_and_records_who_looked_and_why(agent, now):
    customer = CustomerFactory()
    EmailAddressFactory(customer=customer)
    found = get_customer_for_staff(
        user=agent, customer_id=customer.pk, purpose="Caller asked about a missed bin", now=now
    )
    assert found == customer
    assert len(found.emails.all()) == 1
    [read] = reads_by(agent)
    assert read.object_type == "customer" and read.object_id == str(customer.pk)
    assert read.summary == "Caller asked about a missed bin"
    assert read.at == now and read.actor == agent


@pytest.mark.parametrize("role", ["resident", "api_client", "administrator"])
def test_people_who_do_not_serve_customers_find_nothing_and_nothing_is_recorded(db, now, role):
    user = UserFactory(role=role)
    customer = CustomerFactory()
    assert not customers_visible_to(user).exists()
    with pytest.raises(NotFound):
        get_customer_for_staff(user=user, customer_id=customer.pk, purpose="Curious", now=now)
    assert not reads_by(user).exists()


def test_unknown_and_erased_customers_are_not_found(agent, now):
    erased = CustomerFactory(erased_at=now)
    for customer_id in (erased.pk, erased.pk + 1000):
        with pytest.raises(NotFound):
            get_customer_for_staff(user=agent, customer_id=customer_id, purpose="Call", now=now)
    assert erased not in customers_visible_to(agent)


def test_a_merged_record_redirects_to_the_surviving_one(agent, now):
    keep = CustomerFactory()
    old = CustomerFactory(merged_into=keep)
    older = CustomerFactory(merged_into=old)
    found = get_customer_for_staff(user=agent, customer_id=older.pk, purpose="Call", now=now)
    assert found == keep
    read = reads_by(agent).get()
    assert read.object_id == str(keep.pk) and read.data["requested_id"] == older.pk
    assert list(customers_visible_to(agent)) == [keep]
