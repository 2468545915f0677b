"""A member of staff signs in with a real browser, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.axe import assert_accessible
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_an_agent_signs_in_and_lands_on_the_console(council, live_server, browser, javascript):
    UserFactory(email="ann.agent@north-norfolk.gov.uk", role="agent", password="correct horse 42")
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()

    page.goto(f"{live_server.url}/staff/sign-in/")
    if javascript:  # axe-core itself needs JavaScript; the no-JS run checks the journey works
        assert_accessible(page)
    page.get_by_label("Email address").fill("Ann.Agent@north-norfolk.gov.uk")
    page.get_by_label("Password", exact=True).fill("correct horse 42")
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("h1")).to_have_text("Staff console")
    if javascript:
        assert_accessible(page)
    context.close()


def test_a_wrong_password_shows_an_accessible_error_summary(council, live_server, page):
    UserFactory(email="ann.agent@north-norfolk.gov.uk", role="agent", password="correct horse 42")
    page.goto(f"{live_server.url}/staff/sign-in/")
    page.get_by_label("Email address").fill("ann.agent@north-norfolk.gov.uk")
    page.get_by_label("Password", exact=True).fill("wrong")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
