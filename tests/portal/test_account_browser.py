"""A resident registers, confirms, signs in and follows a request in a real browser, with and
without JavaScript; axe-core scans the account pages (PostgreSQL, Playwright)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from frontdoor.accounts.models import User
from frontdoor.cases.actions import add_customer_update
from frontdoor.customers.self_service import customer_for_account
from tests.axe import assert_accessible
from tests.factories import UserFactory
from tests.portal.account_support import PASSWORD, clear_throttle, latest_link, linked_case, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    clear_throttle()
    yield
    clear_throttle()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_resident_registers_signs_in_and_follows_a_linked_request(
    council, live_server, browser, now, javascript
):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    scan = assert_accessible if javascript else (lambda _page: None)

    page.goto(f"{live_server.url}/account/register/")
    scan(page)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    scan(page)

    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Patel")
    page.get_by_label("Email address").fill("priya@example.com")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Check your email")

    page.goto(live_server.url + path_of(latest_link("priya@example.com")))
    expect(page.locator("h1")).to_contain_text("Email address confirmed")
    page.get_by_role("button", name="Sign in").click()
    scan(page)
    page.get_by_label("Email address").fill("priya@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your account")
    scan(page)

    # Staff check Priya's identity on the phone, link her case, and send her an update.
    resident = User.objects.get(email="priya@example.com")
    officer = UserFactory(role="case_officer", display_name="Owen Officer",
                          teams={"waste-services": "member"})
    case = linked_case(resident=resident, by=officer, now=now, channel="phone")
    assert customer_for_account(resident) is not None
    add_customer_update(case=case, text="A crew will clear it on Tuesday.", by=officer,
                        now=timezone.now())

    page.goto(f"{live_server.url}/account/requests/")
    scan(page)
    page.get_by_role("link", name=case.reference).click()
    expect(page.locator("body")).to_contain_text("A crew will clear it on Tuesday.")
    scan(page)
    page.get_by_role("button", name="Add information or a file").click()
    scan(page)
    page.get_by_label("What do you want to tell us?").fill("It is blocking the footpath.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("body")).to_contain_text("We have added your information")
    expect(page.locator("body")).to_contain_text("It is blocking the footpath.")

    for url in ("/account/profile/", "/account/preferences/", "/account/sharing/",
                "/account/subscriptions/"):
        page.goto(live_server.url + url)
        scan(page)
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("You have signed out")
    context.close()
