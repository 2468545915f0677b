"""Two people editing the same customer: the second, working from a stale copy, is stopped."""

from __future__ import annotations

import pytest

from frontdoor.audit.queries import entries_for
from frontdoor.core.errors import Conflict, InvalidInput
from frontdoor.customers.actions import create_customer, update_customer


@pytest.fixture
def customer(agent, now):
    return create_customer(kind="person", given_name="Ann", family_name="Smith", by=agent, now=now)


def test_update_changes_fields_moves_the_version_and_records_before_and_after(agent, customer, now):
    updated = update_customer(
        customer=customer,
        changes={"family_name": "Jones", "alternative_formats": ["braille", "braille"]},
        expected_version=1,
        by=agent,
        now=now,
    )
    assert updated.family_name == "Jones" and updated.alternative_formats == ["braille"]
    assert updated.version == 2
    entry = entries_for("customer", customer.pk).last()
    assert entry.action == "customer.updated"
    assert entry.data["before"] == {"family_name": "Smith", "alternative_formats": []}
    assert entry.data["after"] == {"family_name": "Jones", "alternative_formats": ["braille"]}
    assert customer.events.last().action == "updated"


def test_stale_version_gets_a_conflict_and_changes_nothing(agent, customer, now):
    update_customer(
        customer=customer, changes={"family_name": "Jones"}, expected_version=1, by=agent, now=now
    )
    with pytest.raises(Conflict) as refused:
        update_customer(
            customer=customer,
            changes={"family_name": "Brown", "needs": "Hard of hearing"},
            expected_version=1,
            by=agent,
            now=now,
        )
    assert "Someone else changed" in refused.value.message
    customer.refresh_from_db()
    assert (customer.family_name, customer.needs, customer.version) == ("Jones", "", 2)
    assert customer.events.count() == 2


def test_unknown_or_invalid_fields_are_refused_before_anything_changes(agent, customer, now):
    with pytest.raises(InvalidInput) as refused:
        update_customer(
            customer=customer,
            changes={"family_name": "Jones", "merged_into": 5},
            expected_version=1,
            by=agent,
            now=now,
        )
    assert refused.value.field == "merged_into"
    with pytest.raises(InvalidInput) as refused:
        update_customer(
            customer=customer,
            changes={"given_name": "", "family_name": ""},
            expected_version=1,
            by=agent,
            now=now,
        )
    assert refused.value.field == "family_name"
    customer.refresh_from_db()
    assert (customer.family_name, customer.version) == ("Smith", 1)
