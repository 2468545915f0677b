"""Feedback, complaint and survey pages in a real browser, scanned with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from frontdoor.feedback.actions import invite_newly_resolved
from frontdoor.feedback.models import SurveyResponse
from tests.axe import assert_accessible
from tests.feedback.test_survey import resolved_case, survey_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_guest_complains_from_the_footer_link(council, live_server, page):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Give feedback").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send feedback").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label("A complaint").check()
    page.get_by_label("What would put it right?").fill("Collect the bin")
    page.get_by_label("Which service is it about?").select_option("missed-bin")
    page.get_by_label("Your feedback").fill("Missed three weeks running")
    page.get_by_label("Full name", exact=True).fill("Gail Guest")
    page.get_by_label("Email address", exact=True).fill("gail@example.com")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^\s*Complaint received"))
    expect(page.locator("#acknowledge-by")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_resident_completes_the_survey(council, live_server, browser, javascript):
    case = resolved_case(timezone.now() - timedelta(hours=3))
    invite_newly_resolved(now=timezone.now())
    token = survey_token(case)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}/survey/{token}/")
    if javascript:
        assert_accessible(page)
    page.get_by_role("button", name="Send answers").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    if javascript:
        assert_accessible(page)
    for name in ("ease_of_access", "satisfaction_service", "satisfaction_staff"):
        page.locator(f"input[name={name}][value=satisfied]").check()
    page.locator("input[name=resolved_first_time][value=yes]").check()
    page.locator("input[name=channel_used][value=phone]").check()
    page.locator("input[name=preferred_channel][value=web_form]").check()
    page.get_by_role("button", name="Send answers").click()
    expect(page.locator("h1")).to_have_text("Thank you for your answers")
    if javascript:
        assert_accessible(page)
    page.goto(f"{live_server.url}/survey/{token}/")
    assert re.search("already", page.locator("h1").inner_text())
    assert SurveyResponse.objects.filter(case_reference=case.reference).count() == 1
    context.close()
