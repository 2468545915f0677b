"""The customer hears about their case through the outbox: acknowledged, handed off, extended,
updated, resolved; nobody to tell is visible to staff; a rolled-back change sends nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from frontdoor.cases.actions import (
    add_customer_update,
    assign_case,
    extend_deadline,
    hand_off_contact,
    request_callback,
    resolve_case,
)
from frontdoor.cases.models import CaseEvent, EventKind
from frontdoor.contacts.actions import log_contact
from frontdoor.notifications.models import Message
from tests.cases.factories import open_waste_case
from tests.factories import CustomerFactory, EmailAddressFactory


@pytest.fixture
def resident(db):
    customer = CustomerFactory(given_name="Rita", family_name="Reed")
    EmailAddressFactory(customer=customer, address="rita.reed@example.com")
    return customer


def _messages(case):
    return list(Message.objects.filter(subject_type="case", subject_id=case.reference)
                .order_by("created_at", "pk"))


def test_an_emailed_report_is_acknowledged_with_its_reference_and_reply_date(
    council, agent, resident, now
):
    case = open_waste_case(by=agent, now=now, customer=resident)

    [ack] = _messages(case)
    assert ack.event == "contact_acknowledged"
    assert ack.channel == "email"
    assert ack.recipient["email"] == "rita.reed@example.com"
    assert case.reference in ack.body
    # written-reply, 5 working days from Monday 5 January 2026
    assert "Monday 12 January 2026" in ack.body
    assert "Waste and Environmental Services" in ack.body
    assert ack.body.count("12 January") == 1


def test_a_phone_hand_off_tells_the_caller_which_team_has_it(council, agent, resident, now):
    call = log_contact(channel="phone", customer=resident, received_at=now,
                       service_code="fly-tipping", summary="Sofa dumped in the lane",
                       handled_by=agent, now=now)
    case = hand_off_contact(contact=call, case_type="service_request",
                            service_code="fly-tipping", note="Sofa in Holt Road lane",
                            by=agent, now=now)

    [notice] = _messages(case)
    assert notice.event == "handed_off"
    assert "Waste and Environmental Services" in notice.body
    # handoff-contact: someone contacts you by the end of the next working day
    assert "Tuesday 6 January 2026" in notice.body


def test_a_callback_request_tells_the_customer_when_we_will_call(council, agent, resident, now):
    call = log_contact(channel="phone", customer=resident, received_at=now,
                       service_code="council-tax", summary="Wants to discuss arrears",
                       handled_by=agent, now=now)
    case = request_callback(contact=call, note="Call about arrears plan", by=agent, now=now)

    [notice] = _messages(case)
    assert notice.event == "callback_scheduled"
    assert "Tuesday 6 January 2026" in notice.body  # callback: 1 working day


def test_extension_update_and_resolution_each_send_one_message(
    council, agent, officer, resident, now
):
    # Complaint stage 1 allows one extension of up to 10 working days.
    case = open_waste_case(by=agent, now=now, customer=resident, case_type="complaint")
    case = assign_case(case=case, owner=officer, by=officer, now=now,
                       expected_version=case.version)
    later = now + timedelta(hours=1)
    case = extend_deadline(case=case, new_due_at=datetime(2026, 2, 2, 17, tzinfo=UTC),
                           reason="We need to visit the site", by=officer, now=later,
                           expected_version=case.version)
    add_customer_update(case=case, text="We visited and booked a clearance crew.", by=officer,
                        now=later)
    case.refresh_from_db()
    resolve_case(case=case, outcome="upheld", note="Cleared on Thursday", by=officer, now=later,
                 expected_version=case.version)

    events = [m.event for m in _messages(case)]
    assert events == ["contact_acknowledged", "deadline_extended", "case_update",
                      "case_resolved"]
    extended = _messages(case)[1]
    assert "Monday 2 February 2026" in extended.body
    assert "We need to visit the site" in extended.body
    resolved = _messages(case)[3]
    assert "complain" in resolved.body


def test_a_customer_we_cannot_reach_is_flagged_on_the_case_not_silently_skipped(
    council, agent, now
):
    unreachable = CustomerFactory()  # no email, phone or address
    case = open_waste_case(by=agent, now=now, customer=unreachable)

    assert _messages(case) == []
    flagged = CaseEvent.objects.filter(case=case, kind=EventKind.CUSTOMER_NOT_TOLD)
    assert flagged.count() == 1


def test_an_anonymous_report_sends_nothing(council, agent, now):
    case = open_waste_case(by=agent, now=now)
    assert _messages(case) == []


def test_a_change_that_rolls_back_queues_no_message(council, agent, resident, now):
    with pytest.raises(RuntimeError), transaction.atomic():
        open_waste_case(by=agent, now=now, customer=resident)
        raise RuntimeError("the request failed after opening the case")

    assert Message.objects.count() == 0
