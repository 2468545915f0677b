"""An agent finds a caller by a misspelt name and sees the staff-safety warning first,
in a real browser, with and without JavaScript (axe-core scans need JavaScript)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from frontdoor.customers.actions import add_warning_marker, create_customer
from tests.axe import assert_accessible
from tests.factories import FIXED_NOW, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse 42"


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_an_agent_finds_a_misspelt_caller_and_sees_the_warning_first(
    council, live_server, browser, javascript
):
    UserFactory(email="ann.agent@north-norfolk.gov.uk", role="agent", password=PASSWORD)
    john = create_customer(
        kind="person",
        given_name="John",
        family_name="Smith",
        phones=["07400 123456"],
        addresses=[{"line1": "1 Church Street", "town": "Cromer", "postcode": "NR27 9EN"}],
        by=None,
        now=FIXED_NOW,
    )
    create_customer(kind="person", given_name="Bob", family_name="Jones", by=None, now=FIXED_NOW)
    add_warning_marker(
        customer=john,
        category="violence",
        by=None,
        now=FIXED_NOW,
        description="Threatened an officer at the door. Visit in pairs.",
    )
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}/staff/sign-in/?next=/staff/customers/")
    page.get_by_label("Email address").fill("ann.agent@north-norfolk.gov.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("h1")).to_have_text("Find a customer")
    search_box = page.get_by_label("Name, postcode, phone number, email, case reference or UPRN")
    if javascript:
        # Focus lands in the search box: the agent can type straight away.
        assert page.evaluate("document.activeElement && document.activeElement.id") == "q"
        page.keyboard.type("Jon Smiht")
        page.keyboard.press("Enter")
    else:
        search_box.fill("Jon Smiht")
        page.get_by_role("button", name="Search").click()

    expect(page.locator("#results-heading")).to_have_text(re.compile(r"^\s*1 customer found"))
    if javascript:
        assert_accessible(page)
    page.get_by_role("link", name="John Smith").click()

    expect(page.locator("h1")).to_have_text("John Smith")
    first = page.locator("main > *").first
    assert "Violence or threat of violence" in first.inner_text()
    assert "Visit in pairs" in first.inner_text()
    if javascript:
        assert_accessible(page)
    context.close()
