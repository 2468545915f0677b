"""Routing: the likely service from the words and the mailbox; staff corrections recorded."""

from __future__ import annotations

from datetime import datetime

import pytest

from frontdoor.audit.models import AuditEntry
from frontdoor.cases.inbound_email import take_in_email
from frontdoor.cases.models import Case, EventKind
from frontdoor.cases.routing import (
    CORRECTION_WEIGHT,
    correct_routing,
    route_to_service,
    training_examples,
)
from frontdoor.core.errors import Forbidden, InvalidInput
from frontdoor.notifications.models import Message
from tests.email.conftest import sample
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("council")


def test_catalogue_keywords_route_and_say_why():
    guess = route_to_service(text="There is a dead badger in the road outside my house",
                             to_address=None)

    assert guess.service_code == "dead-animal"
    assert any("dead badger" in reason for reason in guess.reasons)
    assert 0 < guess.confidence <= 1


def test_the_team_mailbox_decides_between_similar_services():
    text = "I want to appeal"
    parking = route_to_service(text=text, to_address="car.parks@north-norfolk.gov.uk")
    benefits = route_to_service(text=text, to_address="revenues@north-norfolk.gov.uk")

    assert parking.service_code == "parking-fine"
    assert benefits.service_code == "benefit-appeal"
    assert any("mailbox" in reason for reason in parking.reasons)


def test_when_nothing_stands_out_the_front_line_routes_it():
    guess = route_to_service(text="Hello, can you help?", to_address=None)

    assert guess.service_code == "general-enquiry"


def test_staff_correct_a_misrouted_case_and_it_is_recorded(now: datetime):
    case = Case.objects.get(reference=take_in_email(
        raw=sample("plain"), source="imap", now=now).case_reference)
    housing = UserFactory(role="case_officer", teams={"waste-services": "member"})

    correct_routing(case=case, service_code="abandoned-vehicle", by=housing, now=now,
                    note="It is about a car, not a bin")

    case.refresh_from_db()
    assert (case.service_code, case.team_code) == ("abandoned-vehicle", "environmental-health")
    event = case.events.get(kind=EventKind.TRANSFERRED)
    assert event.data["routing_correction"] and event.by == housing
    assert event.data["before"]["service_code"] == "missed-bin"
    assert event.customer_visible
    assert AuditEntry.objects.filter(action="case.routing_corrected", actor=housing).exists()
    assert Message.objects.filter(subject_id=case.reference, event="handed_off").exists()


def test_only_caseworkers_in_the_cases_team_may_correct_routing(now: datetime):
    case = Case.objects.get(reference=take_in_email(
        raw=sample("plain"), source="imap", now=now).case_reference)
    agent = UserFactory(role="agent")
    planner = UserFactory(role="case_officer", teams={"planning": "member"})

    with pytest.raises(Forbidden):
        correct_routing(case=case, service_code="bulky-waste", by=agent, now=now)
    with pytest.raises(Forbidden):
        correct_routing(case=case, service_code="bulky-waste", by=planner, now=now)
    with pytest.raises(InvalidInput):
        correct_routing(case=case, service_code="no-such-service",
                        by=UserFactory(role="case_officer", teams={"waste-services": "member"}),
                        now=now)


def test_corrections_feed_the_next_model(now: datetime, waste_officer):
    text_raw = sample("plain").replace(b"Subject: Bin not emptied on Monday",
                                       b"Subject: Wheelie thing at number 12")
    case = Case.objects.get(reference=take_in_email(
        raw=text_raw, source="imap", now=now).case_reference)
    correct_routing(case=case, service_code="bulky-waste", by=waste_officer, now=now)

    [example] = [e for e in training_examples() if "Wheelie thing" in e.text]

    assert (example.service_code, example.weight) == ("bulky-waste", CORRECTION_WEIGHT)
