"""Opening cases: references, back-dated letters, hand-offs, callbacks, idempotent retries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontdoor.audit.models import AuditEntry
from frontdoor.cases.actions import hand_off_contact, open_case, request_callback
from frontdoor.cases.models import CaseContact, CaseEvent, CaseParty, EventKind
from frontdoor.charter.models import Clock
from frontdoor.contacts.actions import log_contact
from frontdoor.contacts.models import Outcome as ContactOutcome
from frontdoor.core.errors import Forbidden, InvalidInput
from tests.cases.factories import open_waste_case
from tests.factories import CustomerFactory, UserFactory


def test_case_references_carry_council_prefix_year_of_receipt_and_a_six_digit_number(
    council, agent, now
):
    first = open_waste_case(by=agent, now=now)
    second = open_waste_case(by=agent, now=now)
    new_years_eve = datetime(2025, 12, 31, 16, tzinfo=UTC)
    last_year = open_waste_case(by=agent, now=now, received_at=new_years_eve)

    assert first.reference == "NN-2026-000001"
    assert second.reference == "NN-2026-000002"
    # The year is the year the customer contacted us, and each year counts from 1.
    assert last_year.reference == "NN-2025-000001"


def test_a_letter_logged_on_wednesday_but_received_on_monday_is_due_from_monday(council, agent):
    monday = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    wednesday = datetime(2026, 1, 7, 11, 0, tzinfo=UTC)
    letter = log_contact(
        channel="letter", received_at=monday, service_code="fly-tipping",
        summary="Letter about fly-tipping", handled_by=agent, now=wednesday,
    )
    case = open_case(
        case_type="service_request", service_code="fly-tipping", contact=letter,
        title="Fly-tipping", description=letter.summary, received_at=letter.received_at,
        channel="letter", by=agent, now=wednesday,
    )

    # written-reply: 5 working days from Monday 5 Jan = Monday 12 Jan, end of charter hours.
    expected = datetime(2026, 1, 12, 17, 0, tzinfo=UTC)
    assert case.promised_at == expected
    assert case.due_at == expected
    assert case.received_at == monday
    assert case.opened_at == wednesday


def test_hand_off_gives_the_agent_the_owning_team_and_the_date_to_tell_the_customer(
    council, agent, now
):
    customer = CustomerFactory()
    email = log_contact(
        channel="email", customer=customer, received_at=now, service_code="fly-tipping",
        summary="Mattresses dumped in the lane", handled_by=agent, now=now,
    )

    case = hand_off_contact(
        contact=email, case_type="service_request", service_code="fly-tipping",
        note="Photos attached to the email; lane off Holt Road", by=agent, now=now,
    )

    assert case.team_code == "waste-services"
    assert case.owner is None
    assert case.promised_at == datetime(2026, 1, 12, 17, 0, tzinfo=UTC)
    notes = CaseEvent.objects.filter(case=case, kind=EventKind.NOTE_ADDED)
    assert [n.summary for n in notes] == ["Photos attached to the email; lane off Holt Road"]
    assert not notes[0].customer_visible
    email.refresh_from_db()
    assert email.outcome == ContactOutcome.CASE_CREATED
    assert CaseContact.objects.filter(case=case, contact=email).exists()
    assert CaseParty.objects.filter(case=case, customer=customer, role="customer").exists()


def test_hand_off_without_a_note_is_refused_and_opens_nothing(council, agent, now):
    email = log_contact(channel="email", received_at=now, service_code="fly-tipping",
                        summary="Dumped sofa", handled_by=agent, now=now)
    with pytest.raises(InvalidInput) as caught:
        hand_off_contact(contact=email, case_type="service_request", service_code="fly-tipping",
                         note="  ", by=agent, now=now)
    assert caught.value.field == "note"
    assert not CaseContact.objects.exists()


def test_a_callback_is_due_by_the_end_of_the_next_working_day(council, agent, now):
    call = log_contact(channel="phone", received_at=now, summary="Wants a call about council tax",
                       service_code="council-tax", handled_by=agent, now=now)

    case = request_callback(contact=call, note="Call after 2pm on 01263 000000", by=agent, now=now)

    assert case.case_type == "callback"
    assert case.team_code == "revenues-and-benefits"
    # Received Monday 5 Jan: 1 working day -> Tuesday 6 Jan 17:00.
    assert case.promised_at == datetime(2026, 1, 6, 17, 0, tzinfo=UTC)
    assert Clock.objects.get(case=case).standard_id == "callback"


def test_a_callback_without_a_service_goes_to_the_councils_callback_service(council, agent, now):
    call = log_contact(channel="voicemail", received_at=now, summary="Please ring me back",
                       handled_by=agent, now=now)
    case = request_callback(contact=call, note="No service mentioned", by=agent, now=now)
    assert case.service_code == "callback-request"
    assert case.team_code == "customer-services"


def test_retrying_open_case_with_the_same_key_returns_the_first_case(council, agent, now):
    first = open_waste_case(by=agent, now=now, idempotency_key="email-msg-123")
    retry = open_waste_case(by=agent, now=now + timedelta(minutes=1),
                            idempotency_key="email-msg-123")

    assert retry.pk == first.pk
    assert retry.reference == first.reference
    assert Clock.objects.filter(case=first).count() == 1
    assert CaseEvent.objects.filter(case=first, kind=EventKind.OPENED).count() == 1


def test_opening_records_an_opened_event_and_an_audit_entry(council, agent, now):
    case = open_waste_case(by=agent, now=now)
    opened = CaseEvent.objects.get(case=case, kind=EventKind.OPENED)
    assert opened.customer_visible
    assert "Monday 12 January 2026" in opened.summary
    assert AuditEntry.objects.filter(object_type="case", object_id=str(case.pk),
                                     action="case.opened", actor=agent).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service_code": "no-such-service"}, "service_code"),
        ({"case_type": "gripe"}, "case_type"),
        ({"channel": "pigeon"}, "channel"),
        ({"team_code": "no-such-team"}, "team_code"),
        ({"complaint_stage": 2}, "complaint_stage"),
    ],
)
def test_opening_with_bad_input_names_the_field_and_saves_nothing(
    council, agent, now, change, field
):
    with pytest.raises(InvalidInput) as caught:
        open_waste_case(by=agent, now=now, **change)
    assert caught.value.field == field
    assert not CaseEvent.objects.exists()


def test_a_case_cannot_be_received_in_the_future(council, agent, now):
    with pytest.raises(InvalidInput) as caught:
        open_waste_case(by=agent, now=now, received_at=now + timedelta(hours=1))
    assert caught.value.code == "in_future"


def test_administrators_cannot_open_cases(council, now):
    administrator = UserFactory(role="administrator")
    with pytest.raises(Forbidden):
        open_waste_case(by=administrator, now=now)
    assert not CaseEvent.objects.exists()
