"""The request page (My Account and a guest's tracking link) leads to feedback about that
request and, once a stage 1 complaint has had its response, to asking for a review;
My Account's home page leads to the resident's appointments."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import timezone

from frontdoor.cases.actions import resolve_case
from frontdoor.cases.models import Case
from frontdoor.feedback.actions import GivenFeedback, PersonDetails, give_feedback
from tests.factories import UserFactory
from tests.pagecheck import check_page
from tests.portal.account_support import clear_throttle, linked_case, make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    clear_throttle()
    yield
    clear_throttle()


def _links(html: str) -> dict[str, str]:
    """Link text -> href, as a person would read and follow them."""
    found = re.findall(r'<a class="govuk-link" href="([^"]+)">([^<]+)</a>', html)
    return {" ".join(text.split()): html_lib.unescape(href) for href, text in found}


def _complaint(*, account=None, key: str) -> GivenFeedback:
    details = PersonDetails() if account else PersonDetails(name="Gail Guest",
                                                            email="gail@example.com")
    return give_feedback(kind="complaint", service_code="missed-bin",
                         what_happened="Missed three weeks running.", remedy="Say sorry",
                         account=account, details=details, now=timezone.now(),
                         idempotency_key=key)


def _answer(case: Case) -> None:
    officer = UserFactory(role="case_officer", teams={"complaints": "member"})
    resolve_case(case=case, outcome="not_upheld", note="Collected on time", by=officer,
                 now=timezone.now(), expected_version=case.version)


def _page(client: Client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    return _links(html)


def test_my_account_request_page_links_to_feedback_about_that_request(client, council):
    rita = make_resident(now=timezone.now())
    case = linked_case(resident=rita, by=UserFactory(role="agent"), now=timezone.now())
    client.force_login(rita)
    links = _page(client, f"/account/requests/{case.reference}/")
    assert links["Give feedback about this request"] == f"/feedback/?case={case.reference}"
    assert "Ask for a review" not in links  # not a complaint


def test_my_account_offers_a_review_once_a_stage_1_complaint_is_answered(client, council):
    rita = make_resident(now=timezone.now())
    complaint = _complaint(account=rita, key="rita-1").case
    client.force_login(rita)
    assert "Ask for a review" not in _page(client, f"/account/requests/{complaint.reference}/")
    _answer(complaint)
    links = _page(client, f"/account/requests/{complaint.reference}/")
    assert links["Ask for a review"] == f"/feedback/review/{complaint.reference}/"
    assert client.get(links["Ask for a review"]).status_code == 200


def test_a_guests_tracking_page_links_to_feedback_by_the_private_link(client, council):
    given = give_feedback(kind="comment", service_code="missed-bin",
                          what_happened="The crew were quick", account=None,
                          details=PersonDetails(name="Gail", email="gail@example.com"),
                          now=timezone.now(), idempotency_key="guest-comment")
    links = _page(client, f"/track/{given.tracking_token}/")
    assert links["Give feedback about this request"] == f"/feedback/?track={given.tracking_token}"
    assert "Ask for a review" not in links
    assert client.get(links["Give feedback about this request"]).status_code == 200


def test_a_guests_answered_complaint_offers_a_review_by_the_private_link(client, council):
    given = _complaint(key="guest-1")
    assert "Ask for a review" not in _page(client, f"/track/{given.tracking_token}/")
    _answer(given.case)
    links = _page(client, f"/track/{given.tracking_token}/")
    assert links["Ask for a review"] == f"/feedback/review-by-link/{given.tracking_token}/"
    assert "Ask for a review of your complaint" in client.get(
        links["Ask for a review"]).content.decode()


def test_my_account_home_links_to_my_appointments(client, council):
    client.force_login(make_resident(now=timezone.now()))
    links = _page(client, "/account/")
    assert links["Your appointments"] == "/appointments/mine/"
    assert client.get("/appointments/mine/").status_code == 200
