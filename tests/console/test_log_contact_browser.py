"""Agents log calls in a real browser: resolve from an article, hand off and read out the date."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from frontdoor.catalogue.seed import seed_knowledge
from frontdoor.contacts.models import Contact
from tests.axe import assert_accessible
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse 42"


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/staff/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def ready(council, now):
    seed_knowledge(now=now)
    UserFactory(email="ann@north-norfolk.gov.uk", role="agent", password=PASSWORD)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_an_agent_resolves_a_call_using_a_knowledge_article(ready, live_server, browser,
                                                            javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, live_server.url, "ann@north-norfolk.gov.uk")
    page.goto(f"{live_server.url}/staff/contacts/new/")
    if javascript:
        assert_accessible(page)
        # Focus starts on the first field: the pre-selected channel.
        assert page.evaluate("document.activeElement.id") == "channel"
        page.get_by_role("button", name="Continue").click()  # nothing filled in
        expect(page).to_have_title(re.compile(r"^Error: "))
        assert_accessible(page)
    page.get_by_label("Which service is it about?").select_option(
        label="Report a missed bin collection")
    page.get_by_label("What did they ask?").fill("Bin not emptied on Church Street")
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("What happened?")
    page.locator("details summary", has_text="Report a missed bin collection").click()
    expect(page.get_by_text("I'm sorry your bin was missed.")).to_be_visible()
    if javascript:
        assert_accessible(page)
    page.get_by_label("Resolved: I answered it now").check()
    page.get_by_label("How did you help?").fill("Bin was tagged: explained what goes in it")
    page.get_by_label("Knowledge article you used (optional)").select_option(
        label="Report a missed bin collection")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator("h1")).to_have_text("Contact recorded")
    if javascript:
        assert_accessible(page)
    contact = Contact.objects.get()
    assert contact.outcome == "resolved_first_contact" and contact.knowledge_article_id
    context.close()


def test_an_agent_hands_off_and_reads_out_the_team_owner_and_date(ready, live_server, page):
    UserFactory(role="case_officer", display_name="Owen Officer",
                teams={"waste-services": "member"})
    sign_in(page, live_server.url, "ann@north-norfolk.gov.uk")
    page.goto(f"{live_server.url}/staff/contacts/new/")
    page.get_by_label("Which service is it about?").select_option(label="Report fly-tipping")
    page.get_by_label("What did they ask?").fill("Mattresses dumped in the Holt Road lay-by")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Hand off to the team").check()
    page.get_by_label("Note for the Waste and Environmental Services team").fill(
        "Three mattresses, blocking half the lay-by; caller walks past daily")
    page.get_by_label("Named owner (optional)").select_option(label="Owen Officer")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator("h1")).to_have_text("Handed to Waste and Environmental Services")
    said = page.locator("#tell-the-customer").inner_text()
    assert re.search(r"Owen Officer in our Waste and Environmental Services team will contact "
                     r"you by \w+day \d{1,2} \w+ 20\d\d.* Your reference is NN-20\d\d-\d{6}\.",
                     said), said
    assert_accessible(page)


def test_the_knowledge_pages_are_accessible(ready, live_server, page):
    sign_in(page, live_server.url, "ann@north-norfolk.gov.uk")
    page.goto(f"{live_server.url}/staff/knowledge/")
    assert_accessible(page)
    page.get_by_label("Search the knowledge base").fill("single person discount")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name="Single person discount (25% off Council Tax)").click()
    expect(page.locator("h1")).to_have_text("Single person discount (25% off Council Tax)")
    assert_accessible(page)
    page.goto(f"{live_server.url}/staff/signposting/?q=debt")
    assert_accessible(page)
