"""The staff case page: every section, every change, conflicts, errors and who may do what."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from freezegun import freeze_time
from PIL import Image

from frontdoor.accounts.models import User
from frontdoor.audit.models import AuditEntry
from frontdoor.cases.actions import (
    add_customer_update,
    add_internal_note,
    assign_case,
    change_status,
    resolve_case,
)
from frontdoor.cases.models import Attachment, Case, CaseEvent, EventKind, Status
from frontdoor.notifications.models import Message
from frontdoor.notifications.models import Status as MessageStatus
from tests.cases.factories import open_waste_case
from tests.factories import CustomerFactory, EmailAddressFactory, UserFactory
from tests.pagecheck import NS, check_page, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(now: datetime) -> Iterator[None]:
    """The pages read the clock; pin it to the `now` fixture (Monday 5 January 2026, 10:00).

    Every view module is imported first: a pydantic model defined while the clock is frozen
    would see freezegun's fake date class.
    """
    get_resolver().url_patterns  # noqa: B018  (imports the URLconf and every view module)
    with freeze_time(now):
        yield


@pytest.fixture
def officer(db: None) -> User:
    return UserFactory(role="case_officer", display_name="Owen Officer",
                       teams={"waste-services": "member"})


@pytest.fixture
def leader(db: None) -> User:
    return UserFactory(role="team_leader", display_name="Lee Leader",
                       teams={"waste-services": "leader"})


@pytest.fixture
def case(council, officer, now) -> Case:
    customer = CustomerFactory(given_name="Rita", family_name="Resident")
    EmailAddressFactory(customer=customer, address="rita@example.com")
    opened = open_waste_case(by=officer, now=now, customer=customer)
    Case.objects.filter(pk=opened.pk).update(
        form_answers={"what_was_dumped": "Two mattresses", "how_much": "A car load"},
        address="Church Street, Cromer NR27 9ES", uprn=100090000001,
    )
    opened.refresh_from_db()
    return opened


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(case: Case, change: str = "") -> str:
    return f"/staff/cases/{case.reference}/" + (f"{change}/" if change else "")


def posted(case: Case, **fields: Any) -> dict[str, Any]:
    case.refresh_from_db()
    return {"expected_version": case.version, "seen_event": 0, **fields}


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


# ------------------------------------------------------------------------------ sections


def test_the_case_page_shows_summary_customer_location_answers_and_timeline(
    council, case, officer, now
):
    add_internal_note(case=case, text="Crew booked for Thursday", by=officer, now=now)
    html = signed_in(officer).get(url(case)).content.decode()
    document = check_page(html, title_contains=case.reference)
    text = text_of(document)
    assert text_of(document.find(f".//{NS}h1")) == case.reference
    for expected in ("Report fly-tipping", "Waste", "Unassigned", "New", "Customer was promised",
                     "Rita Resident", "Church Street, Cromer", "100090000001",
                     "What was dumped", "Two mattresses", "Crew booked for Thursday"):
        assert expected in text, expected
    assert f'href="/staff/customers/{case.parties.get().customer_id}/"' in html
    timeline = text_of(document.find(f".//{NS}div[@class='moj-timeline']"))
    assert "Internal note" in timeline and "Internal" in timeline
    assert "Customer can see this" in timeline  # the opening event


def test_messages_show_their_history_and_unknown_ones_ask_for_a_decision(
    council, case, officer, now
):
    message = Message.objects.get(subject_type="case", subject_id=case.reference)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.UNKNOWN)
    html = signed_in(officer).get(url(case)).content.decode()
    check_page(html)
    assert "We cannot tell whether this message reached the customer" in html
    assert f"/messages/{message.pk}/resend/" in html and f"/messages/{message.pk}/abandon/" in html
    assert "Queued" in html  # the status history


def test_staff_send_an_unknown_message_again_or_give_up_on_it(council, case, officer, now):
    message = Message.objects.get(subject_type="case", subject_id=case.reference)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.UNKNOWN)
    client = signed_in(officer)
    response = client.post(url(case, f"messages/{message.pk}/resend"), posted(case))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.staff_decided_at is not None
    assert CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE_DECIDED).exists()

    Message.objects.filter(pk=message.pk).update(status=MessageStatus.PERMANENTLY_FAILED,
                                                 staff_decided_at=None)
    empty = client.post(url(case, f"messages/{message.pk}/abandon"), posted(case))
    assert empty.status_code == 400 and "Say why the message will not be sent again" in \
        empty.content.decode()
    done = client.post(url(case, f"messages/{message.pk}/abandon"),
                       posted(case, **{f"abandon_reason_{message.pk}": "Told her by phone"}))
    assert done.status_code == 302
    assert Message.objects.get(pk=message.pk).status == MessageStatus.CANCELLED


def test_files_are_listed_downloaded_and_uploaded(council, case, officer):
    client = signed_in(officer)
    upload = io.BytesIO(png())
    upload.name = "dumped.png"
    response = client.post(url(case, "upload"), {**posted(case), "upload_file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get(case=case)
    html = client.get(url(case)).content.decode()
    assert "dumped.png" in html
    download = client.get(f"{url(case)}files/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == png()  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(object_type="case_attachment", actor=officer).exists()


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_with_an_error(council, case, officer):
    upload = io.BytesIO(b"MZ not really a photo")
    upload.name = "photo.jpg"
    response = signed_in(officer).post(url(case, "upload"), {**posted(case),
                                                             "upload_file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    check_page(html)
    assert "govuk-error-summary" in html and 'href="#upload-file"' in html
    assert not Attachment.objects.filter(case=case).exists()


# ------------------------------------------------------------------------------- changes


CHANGES = [
    ("take", {}, EventKind.ASSIGNED),
    ("note", {"note_text": "Crew booked"}, EventKind.NOTE_ADDED),
    ("update", {"update_text": "We will clear it on Thursday"}, EventKind.MESSAGE_SENT),
    ("status", {"new_status": "in_progress"}, EventKind.STATUS_CHANGED),
    ("pause", {"pause_note": "Asked for a photo"}, EventKind.CLOCK_PAUSED),
    ("transfer", {"to_team": "environmental-health", "transfer_note": "Asbestos"},
     EventKind.TRANSFERRED),
    ("resolve", {"outcome": "done", "resolve_note": "Cleared"}, EventKind.RESOLVED),
]


@pytest.mark.parametrize(("change", "fields", "kind"), CHANGES, ids=[c[0] for c in CHANGES])
def test_each_change_saves_records_an_event_and_shows_a_success_banner(
    council, case, officer, change, fields, kind
):
    client = signed_in(officer)
    response = client.post(url(case, change), posted(case, **fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CaseEvent.objects.filter(case=case, kind=kind, by=officer).exists()
    if change != "transfer":  # the case has left the officer's team
        page = client.get(response["Location"]).content.decode()
        assert "govuk-notification-banner--success" in page


def test_extending_tells_the_customer_the_new_date_and_why(council, officer, now):
    customer = CustomerFactory()
    EmailAddressFactory(customer=customer)
    foi = open_waste_case(by=officer, now=now, case_type="foi", service_code="foi-request",
                          customer=customer)
    governance = UserFactory(role="case_officer", teams={"information-governance": "member"})
    response = signed_in(governance).post(url(foi, "extend"), posted(
        foi, **{"extend_date-day": "16", "extend_date-month": "2", "extend_date-year": "2026",
                "extend_reason": "We need to weigh the public interest"}))
    assert response.status_code == 302
    foi.refresh_from_db()
    assert foi.promised_at is not None and foi.promised_at.date().isoformat() == "2026-02-16"
    assert CaseEvent.objects.filter(case=foi, kind=EventKind.DEADLINE_EXTENDED).exists()
    message = Message.objects.get(subject_id=foi.reference, event="deadline_extended")
    assert "We need to weigh the public interest" in message.body


def test_a_deadline_its_standard_does_not_let_us_extend_says_so(council, case, officer):
    response = signed_in(officer).post(url(case, "extend"), posted(
        case, **{"extend_date-day": "15", "extend_date-month": "1", "extend_date-year": "2026",
                 "extend_reason": "The crew is off sick"}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "allows no extension" in html and 'href="#extend-date-day"' in html
    assert ">The crew is off sick</textarea>" in html


def test_resume_close_reopen_duplicate_assign_and_acknowledge(council, case, officer, leader,
                                                             now):
    client = signed_in(officer)
    change_status(case=case, status=Status.WAITING_ON_CUSTOMER, by=officer, now=now,
                  expected_version=case.version)
    assert client.post(url(case, "resume"), posted(case)).status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS

    other = open_waste_case(by=officer, now=now)
    assert client.post(url(other, "duplicate"),
                       posted(other, of_reference=case.reference.lower())).status_code == 302
    assert Case.objects.get(pk=other.pk).parent_id == case.pk

    lead = signed_in(leader)
    assert lead.post(url(case, "assign"), posted(case, assign_owner=officer.pk)).status_code == 302
    assert Case.objects.get(pk=case.pk).owner == officer

    resolve_case(case=case, outcome="done", note="", by=officer, now=now,
                 expected_version=Case.objects.get(pk=case.pk).version)
    assert client.post(url(case, "close"), posted(case)).status_code == 302
    assert client.post(url(case, "reopen"), posted(case, reopen_reason="Back")).status_code == 403
    assert lead.post(url(case, "reopen"), posted(case, reopen_reason="Still there")
                     ).status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS

    complaint = open_waste_case(by=officer, now=now, case_type="complaint",
                                service_code="complaint")
    handler = UserFactory(role="case_officer", teams={"complaints": "member"})
    page = signed_in(handler).get(url(complaint)).content.decode()
    assert "Record the acknowledgement" in page
    response = signed_in(handler).post(url(complaint, "acknowledge"), posted(complaint))
    assert response.status_code == 302
    assert CaseEvent.objects.filter(case=complaint, kind=EventKind.ACKNOWLEDGED,
                                    by=handler).exists()


def test_resolving_offers_only_the_outcomes_for_the_case_type(council, case, officer):
    html = signed_in(officer).get(url(case)).content.decode()
    assert 'value="done"' in html and 'value="upheld"' not in html


@pytest.mark.parametrize(("change", "fields", "message", "anchor"), [
    ("note", {"note_text": "  "}, "Write the note", "note-text"),
    ("extend", {"extend_date-day": "31", "extend_date-month": "2", "extend_date-year": "2026",
                "extend_reason": "Sick"}, "The new date must be a real date", "extend-date-day"),
    ("extend", {"extend_date-day": "15", "extend_date-month": "1", "extend_date-year": "2026",
                "extend_reason": ""}, "Say why the deadline is being extended", "extend-reason"),
    ("resolve", {"resolve_note": "Done"}, "Choose the outcome", "outcome"),
    ("duplicate", {"of_reference": "NN-1999-000001"}, "There is no case NN-1999-000001",
     "of-reference"),
], ids=["empty-note", "impossible-date", "no-reason", "no-outcome", "unknown-reference"])
def test_mistakes_come_back_with_an_error_summary_and_what_was_typed(
    council, case, officer, change, fields, message, anchor
):
    response = signed_in(officer).post(url(case, change), posted(case, **fields))
    assert response.status_code == 400
    html = response.content.decode()
    document = check_page(html)
    assert text_of(document.find(f"./{NS}head/{NS}title")).startswith("Error: ")
    assert message in html and f'href="#{anchor}"' in html
    for value in fields.values():
        if value.strip():
            assert f'value="{value}"' in html or f">{value}<" in html or value in html


# ------------------------------------------------------------------------------ conflicts


def test_a_stale_note_is_not_saved_and_the_text_comes_back_with_what_changed(
    council, case, officer, leader, now
):
    first, second = signed_in(officer), signed_in(leader)
    first.get(url(case))
    stale = posted(case)
    second_page = second.get(url(case))
    assert second_page.status_code == 200
    # The other person takes the case while the officer is typing.
    assert first.post(url(case, "take"), posted(case)).status_code == 302

    response = second.post(url(case, "note"), {**stale, "note_text": "Spoke to the crew"})

    assert response.status_code == 409
    html = response.content.decode()
    check_page(html)
    assert "Someone else changed this case while you had it open" in html
    assert "Nothing was saved" in html
    assert "Assigned to Owen Officer" in html  # what changed
    assert ">Spoke to the crew</textarea>" in html  # nothing lost
    assert not CaseEvent.objects.filter(case=case, summary="Spoke to the crew").exists()
    # The form now carries the current version: sending again works.
    case.refresh_from_db()
    assert f'name="expected_version" value="{case.version}"' in html
    again = second.post(url(case, "note"), posted(case, note_text="Spoke to the crew"))
    assert again.status_code == 302


@pytest.mark.parametrize(("change", "fields", "kept"), [
    ("update", {"update_text": "Clearing on Thursday"}, ">Clearing on Thursday</textarea>"),
    ("extend", {"extend_date-day": "15", "extend_date-month": "1", "extend_date-year": "2026",
                "extend_reason": "Crew off sick"}, ">Crew off sick</textarea>"),
    ("resolve", {"outcome": "done", "resolve_note": "Cleared it"}, ">Cleared it</textarea>"),
])
def test_every_stale_change_is_a_conflict_that_keeps_the_text(
    council, case, officer, leader, now, change, fields, kept
):
    stale = posted(case)
    assign_case(case=case, owner=officer, by=officer, now=now, expected_version=case.version)
    response = signed_in(leader).post(url(case, change), {**stale, **fields})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this case" in html and kept in html
    assert Case.objects.get(pk=case.pk).status == Status.ASSIGNED


def test_a_post_without_the_version_seen_saves_nothing(council, case, officer):
    response = signed_in(officer).post(url(case, "note"), {"note_text": "Hello"})
    assert response.status_code == 400
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.NOTE_ADDED).exists()


# ------------------------------------------------------------------------------ queries


def test_the_case_page_takes_the_same_queries_however_long_its_history(
    council, case, officer, now
):
    client = signed_in(officer)
    client.get(url(case))
    counts = []
    for more in (0, 15):
        for n in range(more):
            add_internal_note(case=case, text=f"Note {n}", by=officer, now=now)
            add_customer_update(case=case, text=f"Update {n}", by=officer,
                                now=now + timedelta(seconds=n))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(case)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 16, [q["sql"] for q in queries.captured_queries]


# --------------------------------------------------------------------------- permissions


def test_signed_out_visitors_are_sent_to_sign_in(council, client, case):
    assert client.get(url(case)).status_code == 302
    response = client.post(url(case, "note"), posted(case, note_text="x"))
    assert response.status_code == 302 and response["Location"].startswith("/staff/sign-in/")


def test_residents_are_refused(council, case):
    resident = signed_in(UserFactory(role="resident"))
    assert resident.get(url(case)).status_code == 403
    assert resident.post(url(case, "note"), posted(case, note_text="x")).status_code == 403


def test_staff_outside_the_team_cannot_find_the_case(council, case):
    elsewhere = signed_in(UserFactory(role="case_officer",
                                      teams={"environmental-health": "member"}))
    assert elsewhere.get(url(case)).status_code == 404
    for change, fields in [("note", {"note_text": "x"}), ("take", {}),
                           ("status", {"new_status": "in_progress"})]:
        assert elsewhere.post(url(case, change), posted(case, **fields)).status_code == 404
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.NOTE_ADDED).exists()
    attachment_url = f"{url(case)}files/1/"
    assert elsewhere.get(attachment_url).status_code == 404


def test_an_agent_sees_the_case_and_adds_notes_but_cannot_work_it(council, case):
    agent = signed_in(UserFactory(role="agent"))
    html = agent.get(url(case)).content.decode()
    check_page(html)
    assert "Add an internal note" in html and "Resolve the case" not in html
    assert agent.post(url(case, "note"), posted(case, note_text="Caller chased")
                      ).status_code == 302
    for change, fields in [("status", {"new_status": "in_progress"}), ("take", {}),
                           ("update", {"update_text": "Hi"}),
                           ("resolve", {"outcome": "done"})]:
        assert agent.post(url(case, change), posted(case, **fields)).status_code == 403, change


def test_a_case_officer_cannot_assign_to_a_colleague(council, case, officer):
    colleague = UserFactory(role="case_officer", teams={"waste-services": "member"})
    html = signed_in(officer).get(url(case)).content.decode()
    assert "Assign to someone in the team" not in html
    response = signed_in(officer).post(url(case, "assign"),
                                       posted(case, assign_owner=colleague.pk))
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).owner_id is None


def test_an_unknown_change_is_not_found(council, case, officer):
    assert signed_in(officer).post(url(case, "explode"), posted(case)).status_code == 404
    assert signed_in(officer).get(url(case, "note")).status_code == 405
