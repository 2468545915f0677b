"""Recording a first contact and what came of it, in one step: resolved there and then,
signposted, handed off with a team, owner and promised date, or a callback."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontdoor.cases.first_contact import first_contact_result, record_first_contact
from frontdoor.cases.models import Case
from frontdoor.catalogue.actions import (
    ArticleContent,
    SignpostDetails,
    add_signpost_organisation,
    create_article,
)
from frontdoor.contacts.models import Contact
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.core.time import LONDON
from frontdoor.notifications.models import Message
from tests.factories import AddressFactory, CustomerFactory, EmailAddressFactory, UserFactory

pytestmark = pytest.mark.django_db

TUESDAY_5PM = datetime(2026, 1, 6, 17, 0, tzinfo=LONDON)


@pytest.fixture
def rita(db):
    customer = CustomerFactory(given_name="Rita", family_name="Reed")
    EmailAddressFactory(customer=customer, address="rita.reed@example.com")
    return customer


@pytest.fixture
def citizens_advice(council, now):
    return add_signpost_organisation(
        details=SignpostDetails(name="North Norfolk Citizens Advice",
                                help_with="Free advice on benefits and debt.",
                                phone="0800 144 8848", url="https://www.citizensadvice.org.uk"),
        by=None, now=now)


def record(agent, now, **overrides):
    values = {
        "channel": "phone", "received_at": now, "customer": None, "service_code": "missed-bin",
        "summary": "Bin not emptied on Church Street", "outcome": "resolved",
        "note": "Explained the bin was tagged for the wrong items", "by": agent, "now": now,
    }
    values.update(overrides)
    return record_first_contact(**values)


def test_a_call_answered_from_an_article_is_resolved_at_first_contact(council, agent, now):
    article = create_article(
        content=ArticleContent(service_code="missed-bin", title="Missed bins",
                               summary="Check first.", body="Check the day."),
        by=None, now=now, published=True)
    result = record(agent, now, knowledge_article_id=article.pk)
    contact = Contact.objects.get()
    assert result.case is None and result.outcome == "resolved"
    assert contact.outcome == "resolved_first_contact"
    assert contact.knowledge_article_id == str(article.pk)
    assert contact.outcome_note == "Explained the bin was tagged for the wrong items"
    assert contact.handled_by == agent and contact.received_at == now


def test_a_service_that_cannot_be_resolved_at_first_contact_leaves_nothing_behind(
    council, agent, now
):
    with pytest.raises(InvalidInput) as error:
        record(agent, now, service_code="fly-tipping")
    assert error.value.field == "outcome"
    assert not Contact.objects.exists()


def test_an_unpublished_or_unknown_article_is_refused(council, agent, now):
    with pytest.raises(InvalidInput) as error:
        record(agent, now, knowledge_article_id=999)
    assert error.value.field == "knowledge_article"
    assert not Contact.objects.exists()


def test_a_hand_off_opens_a_case_for_the_team_with_the_charter_date(
    council, agent, officer, rita, now
):
    result = record(agent, now, customer=rita, outcome="handed_off", owner=officer,
                    note="Whole street missed; crew may have skipped the cul-de-sac")
    case = result.case
    assert isinstance(case, Case) and result.outcome == "handed_off"
    assert case.team_code == "waste-services" and case.owner == officer
    # North Norfolk: calls we cannot resolve get a reply by the end of the next working day.
    assert case.promised_at == TUESDAY_5PM
    assert case.reference.startswith("NN-2026-")
    assert Contact.objects.get().outcome == "case_created"
    assert case.events.filter(summary__startswith="Whole street missed").exists()
    told = Message.objects.get(customer_id=rita.pk)
    assert told.event == "handed_off" and case.reference in told.body


def test_a_hand_off_needs_a_note_for_the_team(council, agent, now):
    with pytest.raises(InvalidInput) as error:
        record(agent, now, outcome="handed_off", note=" ")
    assert error.value.field == "handed_off_note"
    assert not Contact.objects.exists() and not Case.objects.exists()


def test_a_callback_is_due_by_the_charter_callback_standard(council, agent, rita, now):
    result = record(agent, now, customer=rita, outcome="callback",
                    note="Wants to talk about the new bin rounds; call after 2pm")
    assert result.outcome == "callback"
    assert result.case is not None and result.case.case_type == "callback"
    assert result.case.promised_at == TUESDAY_5PM
    assert Message.objects.get(customer_id=rita.pk).event == "callback_scheduled"


def test_signposting_keeps_the_organisations_details_and_can_send_them(
    council, agent, rita, citizens_advice, now
):
    result = record(agent, now, customer=rita, outcome="signposted", note="",
                    service_code="council-tax-support", signpost_org=citizens_advice,
                    send_signpost=True)
    contact = Contact.objects.get()
    assert contact.outcome == "signposted"
    assert contact.signposted_to == {"name": "North Norfolk Citizens Advice",
                                     "phone": "0800 144 8848",
                                     "url": "https://www.citizensadvice.org.uk"}
    message = Message.objects.get(event="signposted")
    assert message.customer_id == rita.pk and message.channel == "email"
    assert "North Norfolk Citizens Advice" in message.body and "0800 144 8848" in message.body
    assert result.customer_sent_details
    assert first_contact_result(user=agent, contact_id=contact.pk).customer_sent_details


def test_signposting_without_asking_to_send_sends_nothing(council, agent, rita,
                                                          citizens_advice, now):
    record(agent, now, customer=rita, outcome="signposted", note="",
           signpost_org=citizens_advice)
    assert not Message.objects.exists()


def test_details_cannot_be_sent_to_a_customer_we_can_only_write_to(
    council, agent, citizens_advice, now
):
    posted_only = CustomerFactory()
    AddressFactory(customer=posted_only)
    with pytest.raises(InvalidInput) as error:
        record(agent, now, customer=posted_only, outcome="signposted", note="",
               signpost_org=citizens_advice, send_signpost=True)
    assert error.value.field == "send_signpost"
    assert not Contact.objects.exists()


def test_a_back_dated_letter_keeps_the_day_it_arrived_for_the_charter_clock(
    council, agent, now
):
    friday_morning = datetime(2026, 1, 2, 9, 0, tzinfo=LONDON)
    result = record(agent, now, channel="letter", received_at=friday_morning,
                    outcome="handed_off", service_code="fly-tipping",
                    note="Letter about dumped mattresses in Holt Road lay-by")
    contact = Contact.objects.get()
    assert contact.received_at == friday_morning and contact.logged_at == now
    assert result.case is not None and result.case.received_at == friday_morning
    # Letters: 5 working days from the day it arrived (Friday 2 Jan) -> Friday 9 Jan, 5pm.
    assert result.case.promised_at == datetime(2026, 1, 9, 17, 0, tzinfo=LONDON)


def test_a_contact_received_in_the_future_is_refused(council, agent, now):
    with pytest.raises(InvalidInput) as error:
        record(agent, now, received_at=datetime(2026, 1, 6, 9, 0, tzinfo=UTC))
    assert error.value.field == "received_at"


def test_a_double_click_records_the_contact_once(council, agent, now):
    first = record(agent, now, outcome="callback", note="Call back", idempotency_key="k1")
    again = record(agent, now, outcome="callback", note="Call back", idempotency_key="k1")
    assert Contact.objects.count() == 1 and Case.objects.count() == 1
    assert again.contact.pk == first.contact.pk and again.case == first.case


def test_only_the_agent_who_took_the_contact_sees_its_result(council, agent, now):
    result = record(agent, now)
    with pytest.raises(NotFound):
        first_contact_result(user=UserFactory(role="agent"), contact_id=result.contact.pk)


def test_an_administrator_cannot_log_contacts(council, now):
    from frontdoor.core.errors import Forbidden

    with pytest.raises(Forbidden):
        record(UserFactory(role="administrator"), now)
