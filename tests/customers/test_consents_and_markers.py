"""Consents and warning markers: given, withdrawn, added and removed, all on record."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdoor.audit.queries import entries_for
from frontdoor.core.errors import Forbidden, InvalidInput
from frontdoor.customers.actions import (
    add_warning_marker,
    record_consent,
    remove_warning_marker,
    withdraw_consent,
)
from frontdoor.customers.models import WarningMarker
from tests.factories import CustomerFactory


def test_consent_given_then_withdrawn_stays_on_record(agent, now):
    customer = CustomerFactory()
    consent = record_consent(
        customer=customer,
        purpose="share_between_services",
        services=["missed-bin", "council-tax"],
        by=agent,
        now=now,
    )
    later = now + timedelta(days=3)
    withdraw_consent(consent=consent, by=agent, now=later)
    consent.refresh_from_db()
    assert (consent.given_at, consent.withdrawn_at, consent.recorded_by) == (now, later, agent)
    assert [e.action for e in entries_for("customer", customer.pk)] == [
        "customer.consent_recorded",
        "customer.consent_withdrawn",
    ]
    with pytest.raises(InvalidInput) as refused:
        record_consent(customer=customer, purpose="marketing", by=agent, now=now)
    assert refused.value.field == "purpose"


def test_warning_markers_are_for_team_leaders_and_removal_needs_a_reason(agent, leader, now):
    customer = CustomerFactory()
    with pytest.raises(Forbidden):
        add_warning_marker(
            customer=customer, category="violence", description="Threatened", by=agent, now=now
        )
    with pytest.raises(InvalidInput) as refused:
        add_warning_marker(
            customer=customer, category="grumpy", description="Rude", by=leader, now=now
        )
    assert refused.value.field == "category"
    assert not WarningMarker.objects.exists()
    marker = add_warning_marker(
        customer=customer,
        category="lone_worker_risk",
        description="Dog at the property; visit in pairs",
        review_at=now + timedelta(days=180),
        by=leader,
        now=now,
    )
    with pytest.raises(InvalidInput) as refused:
        remove_warning_marker(marker=marker, reason="", by=leader, now=now)
    assert refused.value.field == "reason"
    remove_warning_marker(marker=marker, reason="Reviewed: no longer applies", by=leader, now=now)
    marker.refresh_from_db()
    assert marker.removed_at == now and marker.removed_by == leader
    assert [e.action for e in customer.events.all()] == [
        "warning_marker_added",
        "warning_marker_removed",
    ]
