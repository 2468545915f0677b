"""Email in: real MIME samples become contacts and cases, replies join, robots are ignored."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frontdoor.audit.models import AuditEntry
from frontdoor.cases import inbound_email
from frontdoor.cases.inbound_email import (
    dismiss_inbound_message,
    messages_needing_attention,
    retry_inbound_message,
    take_in_email,
    unprocessed_messages,
)
from frontdoor.cases.models import Attachment, Case, CaseEvent, EventKind, Status
from frontdoor.contacts.models import Contact, InboundMessage
from frontdoor.core.errors import InvalidInput
from frontdoor.customers.models import Customer
from frontdoor.notifications.models import Message
from frontdoor.notifications.providers import message_id_header
from tests.email.conftest import sample
from tests.factories import CustomerFactory, EmailAddressFactory

pytestmark = pytest.mark.usefixtures("council")


def _case(outcome: inbound_email.InboundOutcome) -> Case:
    return Case.objects.get(reference=outcome.case_reference)


def _acknowledgements(case: Case) -> list[Message]:
    return list(Message.objects.filter(subject_type="case", subject_id=case.reference,
                                       event="contact_acknowledged"))


def test_a_new_email_to_the_waste_mailbox_opens_an_acknowledged_missed_bin_case(now: datetime):
    outcome = take_in_email(raw=sample("plain"), source="webhook", now=now)

    assert outcome.status == "processed" and outcome.opened_case
    case = _case(outcome)
    assert (case.service_code, case.team_code, case.channel) == (
        "missed-bin", "waste-services", "email")
    assert case.title == "Bin not emptied on Monday"
    customer = case.parties.get().customer
    assert (customer.given_name, customer.family_name) == ("Jane", "Resident")
    assert list(customer.emails.values_list("address", flat=True)) == [
        "jane.resident@example.org"]
    contact = Contact.objects.get(pk=outcome.contact_id)
    assert contact.channel == "email" and contact.customer == customer
    assert "was not emptied on Monday" in contact.summary
    [ack] = _acknowledgements(case)
    assert ack.recipient["email"] == "jane.resident@example.org"
    assert case.reference in ack.subject
    routed = case.events.get(kind=EventKind.NOTE_ADDED)
    assert "waste-services" in routed.summary and routed.data["routing"]["service_code"] == (
        "missed-bin")
    stored = InboundMessage.objects.get(pk=outcome.inbound_id)
    assert bytes(stored.raw) == sample("plain") and stored.contact == contact


def test_the_sender_is_matched_by_exact_email_address_never_by_name(now: datetime):
    same_name_other_address = CustomerFactory(given_name="Jane", family_name="Resident")
    EmailAddressFactory(customer=same_name_other_address, address="jane@elsewhere.example")
    owner = CustomerFactory(given_name="J", family_name="R")
    EmailAddressFactory(customer=owner, address="jane.resident@example.org")
    before = Customer.objects.count()

    outcome = take_in_email(raw=sample("plain"), source="imap", now=now)

    assert Customer.objects.count() == before
    assert _case(outcome).parties.get().customer == owner


def test_an_html_only_email_becomes_plain_text_without_scripts_or_tags(now: datetime):
    outcome = take_in_email(raw=sample("html_only"), source="webhook", now=now)

    contact = Contact.objects.get(pk=outcome.contact_id)
    assert "dumped a mattress and bags of rubbish" in contact.summary
    assert "It's been there since Friday & it is blocking the path." in contact.summary
    for leftover in ("<", "alert(", "color: red", "&amp;"):
        assert leftover not in contact.summary
    assert _case(outcome).team_code == "waste-services"


def test_photos_and_pdfs_are_stored_on_the_case_and_a_program_is_refused_but_noted(
    now: datetime,
):
    outcome = take_in_email(raw=sample("attachments"), source="webhook", now=now)

    case = _case(outcome)
    assert case.service_code == "fly-tipping"
    files = {a.original_name: a for a in Attachment.objects.filter(case=case)}
    assert set(files) == {"flytip.jpg", "map.pdf"}
    assert {a.source for a in files.values()} == {"email"}
    assert files["flytip.jpg"].content_type == "image/jpeg"
    contact = Contact.objects.get(pk=outcome.contact_id)
    assert "Attachments not kept: invoice.exe" in contact.summary


@pytest.mark.parametrize(
    ("name", "title", "words", "service"),
    [
        ("windows1252", "Council tax bill \u2013 £150 wrong",
         "I owe £150 more than last year \u2013 I pay",
         "council-tax"),
        ("latin1", "Loud music from the café next door", "The café next door plays loud music",
         "noise-nuisance"),
        ("rfc2047_subject", "Taxi licence renewal \u2013 Siân", "renew my taxi driver's licence",
         "licensing"),
        ("unknown_charset", "Eviction notice help", "given me an eviction notice",
         "homelessness"),
    ],
)
def test_other_character_sets_and_encoded_subjects_read_correctly(
    now: datetime, name: str, title: str, words: str, service: str
):
    outcome = take_in_email(raw=sample(name), source="webhook", now=now)

    assert outcome.status == "processed", outcome.reason
    case = _case(outcome)
    assert case.title == title
    assert words in Contact.objects.get(pk=outcome.contact_id).summary
    assert case.service_code == service


def test_a_reply_to_our_acknowledgement_joins_its_case_without_the_quoted_history(
    now: datetime,
):
    first = take_in_email(raw=sample("plain"), source="imap", now=now)
    case = _case(first)
    [ack] = _acknowledgements(case)
    our_id = message_id_header(ack, "north-norfolk.gov.uk")
    later = now + timedelta(hours=1)

    reply = take_in_email(raw=sample("reply_quoted", IN_REPLY_TO=our_id), source="imap",
                          now=later)

    assert reply.status == "processed" and not reply.opened_case
    assert reply.case_reference == case.reference
    assert Case.objects.count() == 1
    contact = Contact.objects.get(pk=reply.contact_id)
    assert case.case_contacts.filter(contact=contact).exists()
    assert contact.outcome == "case_linked"
    assert "the lid is broken too" in contact.summary
    assert "Dear Jane Resident" not in contact.summary and "wrote:" not in contact.summary
    event = case.events.get(kind=EventKind.INFORMATION_ADDED)
    assert event.customer_visible and event.summary == "The customer replied by email"
    assert len(_acknowledgements(case)) == 1  # a reply is not acknowledged again
    assert not reply.needs_attention


def test_a_reply_to_a_resolved_case_is_linked_and_flagged_not_reopened(now: datetime):
    case = _case(take_in_email(raw=sample("plain"), source="imap", now=now))
    Case.objects.filter(pk=case.pk).update(status=Status.RESOLVED)
    raw = sample("plain").replace(b"Subject: Bin not emptied on Monday",
                                  f"Subject: Re: We have your request {case.reference}".encode())
    raw = raw.replace(b"plain-0001@", b"plain-0002@")

    reply = take_in_email(raw=raw, source="imap", now=now + timedelta(days=2))

    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    assert reply.case_reference == case.reference and reply.needs_attention
    assert "reopening it is a staff decision" in reply.reason
    assert list(messages_needing_attention()) == [InboundMessage.objects.get(pk=reply.inbound_id)]
    assert case.events.filter(kind=EventKind.NOTE_ADDED,
                              summary__contains="reopening it is a staff decision").exists()


def test_someone_not_on_the_case_quoting_its_reference_is_linked_but_not_made_a_party(
    now: datetime,
):
    case = _case(take_in_email(raw=sample("plain"), source="imap", now=now))
    stranger = sample("latin1").replace(
        b"Subject: =?ISO-8859-1?Q?Loud_music_from_the_caf=E9_next_door?=",
        f"Subject: About {case.reference}".encode())

    outcome = take_in_email(raw=stranger, source="webhook", now=now)

    assert outcome.case_reference == case.reference and outcome.needs_attention
    assert case.parties.count() == 1
    assert not case.events.get(kind=EventKind.INFORMATION_ADDED).customer_visible


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("auto_reply", "Auto-Submitted: auto-replied"),
        ("out_of_office", "X-Autoreply"),
        ("bounce", "bounce"),
    ],
)
def test_auto_replies_out_of_office_and_bounces_never_make_a_case_or_a_reply(
    now: datetime, name: str, why: str
):
    case = _case(take_in_email(raw=sample("plain"), source="imap", now=now))
    contacts, messages = Contact.objects.count(), Message.objects.count()

    outcome = take_in_email(raw=sample(name, REFERENCE=case.reference), source="imap", now=now)

    assert outcome.status == "ignored" and why in outcome.reason
    assert (Contact.objects.count(), Message.objects.count()) == (contacts, messages)
    assert Case.objects.count() == 1
    assert not case.events.filter(kind=EventKind.INFORMATION_ADDED).exists()
    assert InboundMessage.objects.get(pk=outcome.inbound_id).status == "ignored"


def test_mail_from_our_own_addresses_is_ignored_so_replies_cannot_loop(now: datetime):
    raw = sample("plain").replace(b"From: Jane Resident <jane.resident@example.org>",
                                  b"From: Waste <waste@north-norfolk.gov.uk>")

    outcome = take_in_email(raw=raw, source="imap", now=now)

    assert outcome.status == "ignored" and "our own addresses" in outcome.reason
    assert not Contact.objects.exists()


def test_a_malformed_email_is_kept_raw_for_staff_who_can_dismiss_it(now: datetime, agent):
    raw = sample("malformed")

    outcome = take_in_email(raw=raw, source="imap", now=now)

    assert outcome.status == "unprocessed" and "MIME structure is broken" in outcome.reason
    [queued] = unprocessed_messages()
    assert bytes(queued.raw) == raw and queued.pk == outcome.inbound_id
    assert not Contact.objects.exists() and not Case.objects.exists()

    with pytest.raises(InvalidInput):
        dismiss_inbound_message(inbound=queued, reason=" ", by=agent, now=now)
    dismiss_inbound_message(inbound=queued, reason="Spam", by=agent, now=now)
    assert not unprocessed_messages().exists()
    assert AuditEntry.objects.filter(action="inbound_email.dismissed", actor=agent).exists()


def test_an_email_over_the_size_cap_is_kept_raw_and_staff_can_take_it_in(
    now: datetime, agent, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(inbound_email, "MAX_EMAIL_BYTES", 100)
    outcome = take_in_email(raw=sample("plain"), source="webhook", now=now)
    assert outcome.status == "unprocessed" and "Too big" in outcome.reason
    assert not Case.objects.exists()

    retried = retry_inbound_message(inbound=InboundMessage.objects.get(pk=outcome.inbound_id),
                                    by=agent, now=now)

    assert retried.status == "processed" and _case(retried).service_code == "missed-bin"
    with pytest.raises(InvalidInput):
        retry_inbound_message(inbound=InboundMessage.objects.get(pk=outcome.inbound_id),
                              by=agent, now=now)


def test_the_same_message_id_twice_makes_one_contact_and_a_duplicate_record(now: datetime):
    first = take_in_email(raw=sample("plain"), source="imap", now=now)
    again = take_in_email(raw=sample("plain"), source="webhook", now=now + timedelta(minutes=1))

    assert again.status == "duplicate" and again.case_reference == first.case_reference
    assert Contact.objects.count() == 1 and Case.objects.count() == 1
    assert InboundMessage.objects.filter(status="duplicate").count() == 1


def test_a_failure_while_taking_in_keeps_the_email_and_leaves_nothing_half_done(
    now: datetime, monkeypatch: pytest.MonkeyPatch
):
    def broken(**_: object) -> None:
        raise RuntimeError("routing model exploded")

    monkeypatch.setattr(inbound_email, "route_to_service", broken)

    outcome = take_in_email(raw=sample("plain"), source="imap", now=now)

    assert outcome.status == "unprocessed" and "routing model exploded" in outcome.reason
    assert not Contact.objects.exists() and not Customer.objects.exists()
    assert bytes(InboundMessage.objects.get(pk=outcome.inbound_id).raw) == sample("plain")


def test_the_date_header_is_not_trusted_for_the_charter_clock(now: datetime):
    server_received = now - timedelta(minutes=3)
    outcome = take_in_email(raw=sample("plain"), source="imap", now=now,
                            received_at=server_received)

    assert _case(outcome).received_at == server_received
    assert CaseEvent.objects.filter(case=_case(outcome), kind=EventKind.OPENED).exists()
