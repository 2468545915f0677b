"""Logging contacts on every channel and recording what came of them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdoor.audit.models import AuditEntry
from frontdoor.contacts.actions import (
    log_contact,
    mark_failure_demand,
    resolve_at_first_contact,
    signpost_contact,
)
from frontdoor.contacts.models import Contact, Outcome
from frontdoor.contacts.queries import contacts_for_customer, contacts_visible_to
from frontdoor.core.errors import Forbidden, InvalidInput
from tests.contacts.factories import ContactFactory
from tests.factories import CustomerFactory, UserFactory


@pytest.fixture
def agent(db):
    return UserFactory(role="agent")


def test_a_logged_call_keeps_its_queue_timings_and_is_audited(council, agent, now):
    contact = log_contact(
        channel="phone", received_at=now, service_code="missed-bin", summary="Bin missed",
        handled_by=agent, now=now + timedelta(minutes=6), offered_at=now,
        answered_at=now + timedelta(seconds=40), ended_at=now + timedelta(minutes=5),
        handling_seconds=260,
    )
    saved = Contact.objects.get(pk=contact.pk)
    assert saved.outcome == Outcome.PENDING
    assert (saved.answered_at - saved.offered_at).total_seconds() == 40
    assert saved.logged_at == now + timedelta(minutes=6)
    assert AuditEntry.objects.filter(object_type="contact", object_id=str(contact.pk),
                                     action="contact.logged", actor=agent).exists()


def test_retrying_a_create_with_the_same_key_returns_the_first_contact(council, agent, now):
    first = log_contact(channel="app_api", received_at=now, summary="Pothole", handled_by=None,
                        now=now, idempotency_key="open311-abc")
    retry = log_contact(channel="app_api", received_at=now, summary="Pothole", handled_by=None,
                        now=now + timedelta(seconds=30), idempotency_key="open311-abc")
    assert retry.pk == first.pk
    assert Contact.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"service_code": "no-such-service"}, "service_code"),
        ({"received_at_offset": timedelta(hours=2)}, "received_at"),
        ({"offered_after_answered": True}, "answered_at"),
    ],
)
def test_bad_contacts_are_refused_with_the_field_named(council, agent, now, change, field):
    fields = {"channel": "phone", "service_code": "missed-bin"}
    fields.update({k: v for k, v in change.items() if k in fields})
    received_at = now + change.get("received_at_offset", timedelta(0))
    timings = {}
    if change.get("offered_after_answered"):
        timings = {"offered_at": now, "answered_at": now - timedelta(seconds=5)}
    with pytest.raises(InvalidInput) as caught:
        log_contact(received_at=received_at, summary="x", handled_by=agent, now=now,
                    **fields, **timings)
    assert caught.value.field == field
    assert not Contact.objects.exists()


def test_a_telephony_clock_a_little_ahead_is_tolerated(council, agent, now):
    contact = log_contact(channel="phone", received_at=now + timedelta(seconds=90),
                          summary="x", handled_by=agent, now=now)
    assert contact.received_at == now + timedelta(seconds=90)


def test_residents_cannot_log_contacts_as_staff(council, now):
    with pytest.raises(Forbidden):
        log_contact(channel="phone", received_at=now, summary="x",
                    handled_by=UserFactory(role="resident"), now=now)


def test_resolving_at_first_contact_records_the_answer_and_the_outcome_change(
    council, agent, now
):
    contact = ContactFactory(service_code="missed-bin", handled_by=agent)
    resolve_at_first_contact(contact=contact, outcome_note="Told them the crew returns today",
                             knowledge_article_id=42, by=agent, now=now)
    saved = Contact.objects.get(pk=contact.pk)
    assert saved.outcome == Outcome.RESOLVED_FIRST_CONTACT
    assert saved.knowledge_article_id == "42"
    change = AuditEntry.objects.get(action="contact.outcome_changed", object_id=str(contact.pk))
    assert change.data == {"before": "pending", "after": "resolved_first_contact"}


def test_a_service_that_needs_the_team_cannot_be_resolved_at_first_contact(council, agent, now):
    contact = ContactFactory(service_code="fly-tipping")  # not first_contact_resolvable
    with pytest.raises(InvalidInput):
        resolve_at_first_contact(contact=contact, outcome_note="x", by=agent, now=now)
    assert Contact.objects.get(pk=contact.pk).outcome == Outcome.PENDING


def test_signposting_keeps_who_we_sent_the_customer_to(council, agent, now):
    contact = ContactFactory(service_code="")
    signpost_contact(
        contact=contact,
        organisation={"name": "Norfolk County Council", "phone": "0344 800 8020",
                      "url": "https://www.norfolk.gov.uk"},
        by=agent, now=now,
    )
    saved = Contact.objects.get(pk=contact.pk)
    assert saved.outcome == Outcome.SIGNPOSTED
    assert saved.signposted_to["name"] == "Norfolk County Council"
    with pytest.raises(InvalidInput):
        signpost_contact(contact=contact, organisation={"name": "X", "url": "javascript:x"},
                         by=agent, now=now)


def test_failure_demand_is_flagged_with_its_reason_and_audited(council, agent, now):
    contact = ContactFactory()
    mark_failure_demand(contact=contact, reason="chasing", by=agent, now=now)
    saved = Contact.objects.get(pk=contact.pk)
    assert saved.failure_demand and saved.failure_reason == "chasing"
    assert AuditEntry.objects.filter(action="contact.failure_demand_marked").count() == 1
    with pytest.raises(InvalidInput):
        mark_failure_demand(contact=contact, reason="bad luck", by=agent, now=now)


def test_the_customer_timeline_is_newest_first_and_includes_merged_records(db, now):
    survivor = CustomerFactory()
    duplicate = CustomerFactory(merged_into=survivor, merged_at=now)
    oldest = ContactFactory(customer=survivor, received_at=now - timedelta(days=3))
    from_duplicate = ContactFactory(customer=duplicate, received_at=now - timedelta(days=2))
    newest = ContactFactory(customer=survivor, received_at=now - timedelta(days=1))
    ContactFactory(customer=CustomerFactory())  # someone else's

    timeline = contacts_for_customer(survivor, limit=10)
    assert [c.pk for c in timeline] == [newest.pk, from_duplicate.pk, oldest.pk]
    assert [c.pk for c in contacts_for_customer(survivor, limit=2)] == [newest.pk,
                                                                         from_duplicate.pk]


def test_a_contact_for_a_merged_customer_lands_on_the_survivor(council, agent, now):
    survivor = CustomerFactory()
    duplicate = CustomerFactory(merged_into=survivor, merged_at=now)
    contact = log_contact(channel="email", customer=duplicate, received_at=now, summary="x",
                          handled_by=agent, now=now)
    assert contact.customer == survivor


def test_staff_see_contacts_and_residents_do_not(db):
    ContactFactory()
    assert contacts_visible_to(UserFactory(role="agent")).count() == 1
    assert contacts_visible_to(UserFactory(role="resident")).count() == 0
    assert contacts_visible_to(UserFactory(role="api_client")).count() == 0
