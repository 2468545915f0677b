"""Track my requests: only the resident's own cases, customer-visible history only, adding
information and files, reopening within the council's window, and nobody else's anything."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from frontdoor.cases import portal_access
from frontdoor.cases.actions import (
    add_customer_update,
    add_internal_note,
    assign_case,
    extend_deadline,
    resolve_case,
)
from frontdoor.cases.models import Attachment, Case, CaseContact, CaseEvent, EventKind, Status
from frontdoor.cases.portal_access import (
    add_information,
    case_for_account,
    cases_for_account,
    reopen_by_resident,
)
from frontdoor.cases.web_forms import tracking_token_hash
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.customers.self_service import customer_for_account
from tests.cases.factories import open_waste_case
from tests.factories import CustomerFactory, UserFactory
from tests.pagecheck import check_page, text_of
from tests.portal.account_support import clear_throttle, linked_case, make_resident

pytestmark = pytest.mark.django_db
GUEST_TOKEN = "guest-token-abcdefghijklmnopqrstuvwxyz012345"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    clear_throttle()
    yield
    clear_throttle()


@pytest.fixture
def officer(db):
    return UserFactory(role="case_officer", display_name="Owen Officer",
                       teams={"waste-services": "member"})


@pytest.fixture
def rita(council, now):
    return make_resident(now=now)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _guest_case(officer, now) -> Case:
    case = open_waste_case(by=officer, now=now, customer=CustomerFactory())
    Case.objects.filter(pk=case.pk).update(tracking_token_hash=tracking_token_hash(GUEST_TOKEN))
    case.refresh_from_db()
    return case


# ------------------------------------------------------------------------------ what shows


def test_the_request_page_shows_status_team_officer_dates_and_only_visible_events(
    client: Client, rita, officer, now
):
    # A Freedom of Information request: its standard allows an extension (with a reason).
    officer = UserFactory(role="case_officer", display_name="Owen Officer",
                          teams={"information-governance": "member"})
    case = linked_case(resident=rita, by=officer, now=now, service_code="foi-request",
                       case_type="foi")
    assign_case(case=case, owner=officer, by=officer, now=now, expected_version=case.version)
    add_internal_note(case=case, text="SECRET: resident seems difficult", by=officer, now=now)
    add_customer_update(case=case, text="We have sent a crew to clear it.", by=officer, now=now)
    case.refresh_from_db()
    extend_deadline(case=case, new_due_at=case.due_at + timedelta(days=7),
                    reason="The crew needs a licence for the lorry", by=officer, now=now,
                    expected_version=case.version)
    client.force_login(rita)
    response = client.get(f"/account/requests/{case.reference}/")
    html = response.content.decode()
    text = text_of(check_page(html))
    assert "SECRET" not in html
    assert "We have sent a crew to clear it." in text
    assert "Owen Officer, Legal and Democratic Services (Information Governance)" in text
    assert "The crew needs a licence for the lorry" in text  # the extension's reason
    assert "We will reply by" in text
    assert "Added to your online account" in text


def test_officer_names_are_hidden_where_the_council_says_so(client, rita, officer, now,
                                                             council, monkeypatch):
    case = linked_case(resident=rita, by=officer, now=now)
    assign_case(case=case, owner=officer, by=officer, now=now, expected_version=case.version)
    hidden = council.model_copy(update={"notifications": council.notifications.model_copy(
        update={"show_officer_names": False})})
    monkeypatch.setattr(portal_access, "current_council", lambda: hidden)
    client.force_login(rita)
    text = text_of(check_page(client.get(f"/account/requests/{case.reference}/").content.decode()))
    assert "Owen Officer" not in text and "Waste and Environmental Services" in text


def test_the_list_shows_cases_made_through_the_account_and_linked_ones_from_any_channel(
    client, rita, officer, now
):
    linked = linked_case(resident=rita, by=officer, now=now, channel="phone")
    made = open_waste_case(by=officer, now=now, channel="web_form")
    Case.objects.filter(pk=made.pk).update(account=rita)
    # Same email and name on another customer's case: never matched.
    other = open_waste_case(by=officer, now=now,
                            customer=CustomerFactory(given_name="Rita", family_name="Resident"))
    client.force_login(rita)
    html = client.get("/account/requests/").content.decode()
    assert linked.reference in html and made.reference in html
    assert other.reference not in html
    assert set(cases_for_account(rita)) == {linked, made}


# ------------------------------------------------------------------------------ isolation


def test_someone_elses_reference_is_not_found(client, rita, officer, now):
    theirs = open_waste_case(by=officer, now=now, customer=customer_for_account(rita))
    client.force_login(rita)  # even a case about Rita's own record, not linked: 404
    for suffix in ("", "add-information/", "reopen/", "files/1/"):
        assert client.get(f"/account/requests/{theirs.reference}/{suffix}").status_code == 404
    assert client.get("/account/requests/NN-2026-999999/").status_code == 404
    assert client.get("/account/requests/../../admin/").status_code in (404, 302)
    with pytest.raises(NotFound):
        case_for_account(rita, theirs.reference)


def test_another_residents_case_and_files_cannot_be_reached(client, rita, officer, now):
    sam = make_resident(now=now, email="sam@example.com", given="Sam", family="Smith")
    sams = linked_case(resident=sam, by=officer, now=now)
    add_information(case=sams, text="Photo", files=[("p.png", _png())], account_or_token=sam,
                    now=now)
    attachment = Attachment.objects.get(case=sams)
    client.force_login(rita)
    assert client.get(f"/account/requests/{sams.reference}/").status_code == 404
    sams_file = f"/account/requests/{sams.reference}/files/{attachment.pk}/"
    assert client.get(sams_file).status_code == 404
    mine = linked_case(resident=rita, by=officer, now=now)
    # Rita's own case with Sam's file id: still not found.
    mine_with_sams_file = f"/account/requests/{mine.reference}/files/{attachment.pk}/"
    assert client.get(mine_with_sams_file).status_code == 404
    with pytest.raises(NotFound):
        add_information(case=sams, text="Hi", files=[], account_or_token=rita, now=now)
    with pytest.raises(NotFound):
        reopen_by_resident(case=sams, reason="x", account_or_token=rita, now=now)
    # Uploaded files are never served from a public URL.
    assert client.get(f"/uploads/{attachment.file.name}").status_code == 404
    client.force_login(sam)
    response = client.get(f"/account/requests/{sams.reference}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == _png()


def test_tracking_tokens_of_other_cases_and_tampered_tokens_are_not_found(client, officer, now,
                                                                          council):
    case = _guest_case(officer, now)
    assert client.get(f"/track/{GUEST_TOKEN}/").status_code == 200
    for token in (GUEST_TOKEN[:-1] + "X", GUEST_TOKEN.upper(), "short", "a" * 43,
                  tracking_token_hash(GUEST_TOKEN)):
        assert client.get(f"/track/{token}/").status_code == 404
    with pytest.raises(NotFound):
        add_information(case=case, text="x", files=[], account_or_token="b" * 43, now=now)


def test_the_guest_page_shows_only_customer_visible_events(client, officer, now, council):
    case = _guest_case(officer, now)
    add_internal_note(case=case, text="INTERNAL ONLY", by=officer, now=now)
    add_customer_update(case=case, text="Cleared today.", by=officer, now=now)
    response = client.get(f"/track/{GUEST_TOKEN}/")
    html = response.content.decode()
    text = text_of(check_page(html))
    assert "INTERNAL ONLY" not in html and "Cleared today." in text
    assert response["Referrer-Policy"] == "no-referrer"


# ------------------------------------------------------------------ add information, files


def test_a_resident_adds_information_and_a_file(client, rita, officer, now):
    case = linked_case(resident=rita, by=officer, now=now)
    client.force_login(rita)
    url = f"/account/requests/{case.reference}/add-information/"
    check_page(client.get(url).content.decode())
    photo = io.BytesIO(_png())
    photo.name = "bags.png"
    response = client.post(url, {"information": "There are more bags now.", "files": photo})
    assert response.status_code == 302
    event = CaseEvent.objects.get(case=case, kind=EventKind.INFORMATION_ADDED)
    assert event.customer_visible and event.by == rita
    contact = CaseContact.objects.get(case=case, contact_id=event.data["contact_id"]).contact
    assert contact.channel == "web_form"
    assert Attachment.objects.get(case=case).original_name == "bags.png"
    page = client.get(f"/account/requests/{case.reference}/?added=1")
    text = text_of(check_page(page.content.decode()))
    assert "There are more bags now." in text and "bags.png" in text


def test_a_disguised_file_or_nothing_at_all_is_refused_and_nothing_is_stored(client, rita,
                                                                              officer, now):
    case = linked_case(resident=rita, by=officer, now=now)
    client.force_login(rita)
    url = f"/account/requests/{case.reference}/add-information/"
    program = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200)
    program.name = "photo.jpg"
    refused = client.post(url, {"information": "see photo", "files": program})
    assert refused.status_code == 400 and 'href="#files"' in refused.content.decode()
    empty = client.post(url, {"information": "  "})
    assert empty.status_code == 400 and 'href="#information"' in empty.content.decode()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.INFORMATION_ADDED).exists()
    assert not Attachment.objects.filter(case=case).exists()


def test_a_guest_adds_information_with_their_link(client, officer, now, council):
    case = _guest_case(officer, now)
    response = client.post(f"/track/{GUEST_TOKEN}/add-information/", {"information": "Still there"})
    assert response.status_code == 302
    assert CaseEvent.objects.filter(case=case, kind=EventKind.INFORMATION_ADDED,
                                    by=None).exists()


# ------------------------------------------------------------------------------ reopening


def _resolved(case: Case, officer, now) -> Case:
    assign_case(case=case, owner=officer, by=officer, now=now, expected_version=case.version)
    return resolve_case(case=case, outcome="done", note="Cleared", by=officer, now=now,
                        expected_version=case.version)


def test_a_resolved_request_reopens_within_the_window_with_a_reason(client, rita, officer, now):
    case = _resolved(linked_case(resident=rita, by=officer, now=now), officer, now)
    with pytest.raises(InvalidInput, match="why"):
        reopen_by_resident(case=case, reason=" ", account_or_token=rita, now=now)
    reopened = reopen_by_resident(case=case, reason="They left two bags",
                                  account_or_token=rita, now=now + timedelta(days=19))
    assert reopened.status == Status.IN_PROGRESS
    event = CaseEvent.objects.filter(case=case, kind=EventKind.REOPENED).get()
    assert event.customer_visible and "They left two bags" in event.summary


def test_reopening_after_the_window_is_refused_with_a_clear_message(client, rita, officer, now):
    case = _resolved(linked_case(resident=rita, by=officer, now=now), officer, now)
    with pytest.raises(InvalidInput, match="within 20 days"):
        reopen_by_resident(case=case, reason="Still there", account_or_token=rita,
                           now=now + timedelta(days=21))
    case.refresh_from_db()
    assert case.status == Status.RESOLVED


def test_the_reopen_page_works_and_an_open_request_cannot_be_reopened(client, rita, officer, now):
    open_case = linked_case(resident=rita, by=officer, now=now)
    client.force_login(rita)
    refused = client.post(f"/account/requests/{open_case.reference}/reopen/",
                          {"reason": "Because"})
    assert refused.status_code == 400
    resolved = _resolved(linked_case(resident=rita, by=officer, now=now), officer, timezone.now())
    page = client.get(f"/account/requests/{resolved.reference}/")
    assert "Reopen this request" in page.content.decode()
    check_page(client.get(f"/account/requests/{resolved.reference}/reopen/").content.decode())
    done = client.post(f"/account/requests/{resolved.reference}/reopen/", {"reason": "Not done"})
    assert done.status_code == 302
    resolved.refresh_from_db()
    assert resolved.status == Status.IN_PROGRESS


def test_a_guest_reopens_with_their_link(client, officer, now, council):
    case = _resolved(_guest_case(officer, now), officer, timezone.now())
    response = client.post(f"/track/{GUEST_TOKEN}/reopen/", {"reason": "Came back"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


@pytest.mark.parametrize("suffix", ["", "add-information/", "reopen/"])
def test_tracking_pages_are_valid(client, officer, now, council, suffix):
    _guest_case(officer, now)
    response = client.get(f"/track/{GUEST_TOKEN}/{suffix}")
    assert response.status_code == 200
    check_page(response.content.decode())
