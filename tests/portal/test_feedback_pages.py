"""Feedback, stage 2 review and survey pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from frontdoor.cases.actions import resolve_case
from frontdoor.cases.models import Case
from frontdoor.feedback.actions import invite_newly_resolved
from frontdoor.feedback.models import SurveyResponse
from frontdoor.notifications.models import Message
from tests.factories import UserFactory
from tests.feedback.test_survey import ANSWERS, resolved_case, survey_token
from tests.pagecheck import check_page
from tests.portal.account_support import linked_case, make_resident

pytestmark = pytest.mark.django_db
COMPLAINT = {"kind": "complaint", "service": "missed-bin", "what_happened": "Missed again",
             "remedy": "Collect it", "name": "Gail Guest", "email": "gail@example.com"}


def test_every_resident_page_links_to_feedback(client, council):
    html = client.get("/").content.decode()
    assert 'href="/feedback/"' in html


def test_a_guest_complains_and_is_told_the_charter_dates(client, council):
    page = client.get("/feedback/")
    check_page(page.content.decode())
    response = client.post("/feedback/", COMPLAINT)
    assert response["Location"] == "/feedback/sent/"
    html = client.get("/feedback/sent/").content.decode()
    check_page(html)
    case = Case.objects.get()
    assert case.reference in html and case.complaint_stage == 1
    assert "We will acknowledge your complaint by" in html
    assert "We will respond by" in html
    assert re.search(r'id="tracking-link" href="/track/[^"]+/"', html)


def test_feedback_errors_link_to_each_field(client, council):
    response = client.post("/feedback/", {"kind": "complaint", "email": "nope"})
    html = response.content.decode()
    check_page(html)
    assert response.status_code == 400 and html.count("<title>Error: ") == 1
    for field in ("what_happened", "name", "email"):
        assert f'href="#{field}"' in html
    assert not Case.objects.exists()


def test_a_resident_gives_feedback_about_their_own_case_only(client, council):
    now = timezone.now()
    rita = make_resident(now=now)
    agent = UserFactory(role="agent")
    request = linked_case(resident=rita, by=agent, now=now)
    olly = make_resident(now=now, email="olly@example.com", given="Olly")
    client.force_login(rita)
    page = client.get("/feedback/", {"case": request.reference})
    html = page.content.decode()
    check_page(html)
    assert request.reference in html and 'value="fly-tipping" selected' in html
    client.post("/feedback/", {"case": request.reference, "kind": "compliment",
                               "service": "fly-tipping", "what_happened": "Cleared fast"})
    compliment = Case.objects.get(case_type="compliment")
    assert compliment.parent_id == request.pk and compliment.account_id == rita.pk
    client.force_login(olly)
    assert client.get("/feedback/", {"case": request.reference}).status_code == 404
    assert client.get("/feedback/", {"track": "A" * 43}).status_code == 404


def test_stage_2_review_of_an_answered_complaint(client, council):
    now = timezone.now()
    rita = make_resident(now=now)
    client.force_login(rita)
    client.post("/feedback/", {**COMPLAINT, "name": "", "email": ""})
    first = Case.objects.get()
    unavailable = client.get(f"/feedback/review/{first.reference}/")
    check_page(unavailable.content.decode())
    assert "You cannot ask for a review" in unavailable.content.decode()
    officer = UserFactory(role="case_officer", teams={"complaints": "member"})
    resolve_case(case=first, outcome="not_upheld", note="On time", by=officer, now=now,
                 expected_version=first.version)
    page = client.get(f"/feedback/review/{first.reference}/")
    check_page(page.content.decode())
    empty = client.post(f"/feedback/review/{first.reference}/", {"reason": ""})
    assert empty.status_code == 400 and 'href="#reason"' in empty.content.decode()
    check_page(empty.content.decode())
    response = client.post(f"/feedback/review/{first.reference}/", {"reason": "Wrong"})
    assert response["Location"] == "/feedback/sent/"
    html = client.get("/feedback/sent/").content.decode()
    check_page(html)
    stage2 = Case.objects.get(complaint_stage=2)
    assert stage2.parent_id == first.pk and stage2.reference in html
    olly = make_resident(now=now, email="olly@example.com", given="Olly")
    client.force_login(olly)
    assert client.get(f"/feedback/review/{first.reference}/").status_code == 404


def test_the_survey_page_works_once_and_refuses_other_tokens(client, council):
    now = timezone.now() - timedelta(hours=3)
    case = resolved_case(now)
    invite_newly_resolved(now=timezone.now())
    token = survey_token(case)
    page = client.get(f"/survey/{token}/")
    check_page(page.content.decode())
    bad = client.post(f"/survey/{token}/", {"ease_of_access": "satisfied"})
    assert bad.status_code == 400
    check_page(bad.content.decode())
    assert 'href="#satisfaction_service"' in bad.content.decode()
    response = client.post(f"/survey/{token}/", ANSWERS)
    assert response["Location"] == "/survey/thanks/"
    check_page(client.get("/survey/thanks/").content.decode())
    again = client.get(f"/survey/{token}/")
    check_page(again.content.decode())
    assert "already" in again.content.decode()
    assert client.post(f"/survey/{token}/", ANSWERS).status_code == 200
    assert SurveyResponse.objects.count() == 1
    assert client.get("/survey/" + "B" * 43 + "/").status_code == 404
    assert Message.objects.filter(event="survey_invitation").count() == 1
