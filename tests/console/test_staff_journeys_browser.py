"""One connected staff journey in a real browser, with and without JavaScript; with it on,
axe-core scans every page visited, error states included (PostgreSQL, Playwright).

An agent finds the caller, logs the call from the customer view and resolves it at first
contact; the caller rings again and another agent hands the problem off, reading out the
owner, team and date; the team leader reassigns it from the queue; the new case officer
takes it from the queue and works it to resolution.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from frontdoor.cases.models import Case, CaseEvent, EventKind, Status
from frontdoor.contacts.models import Contact
from frontdoor.core.time import to_london
from frontdoor.customers.actions import create_customer
from tests.axe import assert_accessible
from tests.factories import FIXED_NOW, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse 42"
Scan = Callable[[Page], None]


def signed_in(browser: Browser, base: str, email: str, *, javascript: bool,
              next_path: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{base}/staff/sign-in/?next={next_path}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return context, page


def submit_empty(page: Page, button: str, scan: Scan) -> None:
    page.get_by_role("button", name=button).click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    scan(page)


def open_from_search(page: Page, query: str, name: str, scan: Scan) -> None:
    page.get_by_label("Name, postcode, phone number, email, case reference or UPRN").fill(query)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_contain_text("1 customer found")
    scan(page)
    page.get_by_role("link", name=name).click()
    expect(page.locator("h1")).to_have_text(name)
    scan(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_call_is_resolved_then_a_problem_handed_off_reassigned_and_resolved(
    council, live_server, browser, javascript
):
    scan: Scan = assert_accessible if javascript else (lambda _page: None)
    base = live_server.url
    for email, name in (("ann@north-norfolk.gov.uk", "Ann Agent"),
                        ("bob@north-norfolk.gov.uk", "Bob Agent")):
        UserFactory(email=email, display_name=name, role="agent", password=PASSWORD)
    UserFactory(email="lee@north-norfolk.gov.uk", display_name="Lee Leader", role="team_leader",
                password=PASSWORD, teams={"waste-services": "leader"})
    UserFactory(email="owen@north-norfolk.gov.uk", display_name="Owen Officer",
                role="case_officer", password=PASSWORD, teams={"waste-services": "member"})
    cara = UserFactory(email="cara@north-norfolk.gov.uk", display_name="Cara Officer",
                       role="case_officer", password=PASSWORD,
                       teams={"waste-services": "member"})
    rita = create_customer(kind="person", given_name="Rita", family_name="Resident",
                           phones=["07400 123456"], emails=["rita@example.com"],
                           addresses=[{"line1": "1 Church Street", "town": "Cromer",
                                       "postcode": "NR27 9EN"}],
                           by=None, now=FIXED_NOW)

    # 1. Ann finds Rita by her phone number and answers her question there and then.
    context, page = signed_in(browser, base, "ann@north-norfolk.gov.uk", javascript=javascript,
                              next_path="/staff/customers/")
    expect(page.locator("h1")).to_have_text("Find a customer")
    scan(page)
    open_from_search(page, "07400 123456", "Rita Resident", scan)
    page.get_by_role("link", name="Log a contact with Rita Resident").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("Rita Resident")
    scan(page)
    submit_empty(page, "Continue", scan)
    page.get_by_label("Which service is it about?").select_option(
        label="Report a missed bin collection")
    page.get_by_label("What did they ask?").fill("When is my bin collected this week?")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("What happened?")
    scan(page)
    submit_empty(page, "Save and continue", scan)
    page.get_by_label("Resolved: I answered it now").check()
    page.get_by_label("How did you help?").fill("Told her: Thursday, moved by the bank holiday")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Contact recorded")
    scan(page)
    first = Contact.objects.get()
    assert (first.customer_id, first.outcome) == (rita.pk, "resolved_first_contact")
    assert not Case.objects.exists()
    context.close()

    # 2. Rita rings again about fly-tipping; Bob hands it to the team with a named owner.
    context, page = signed_in(browser, base, "bob@north-norfolk.gov.uk", javascript=javascript,
                              next_path="/staff/customers/")
    open_from_search(page, "Rita Resident", "Rita Resident", scan)
    page.get_by_role("link", name="Log a contact with Rita Resident").click()
    page.get_by_label("Which service is it about?").select_option(label="Report fly-tipping")
    page.get_by_label("What did they ask?").fill("Mattresses dumped in the Holt Road lay-by")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Hand off to the team").check()
    page.get_by_role("button", name="Save and continue").click()  # no note: the error
    expect(page).to_have_title(re.compile(r"^Error: "))
    scan(page)
    page.get_by_label("Hand off to the team").check()
    page.get_by_label("Note for the Waste and Environmental Services team").fill(
        "Three mattresses, blocking half the lay-by")
    page.get_by_label("Named owner (optional)").select_option(label="Owen Officer")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Handed to Waste and Environmental Services")
    case = Case.objects.get()
    promised = to_london(case.promised_at).strftime("%A %-d %B %Y")
    said = page.locator("#tell-the-customer").inner_text()
    assert "Owen Officer in our Waste and Environmental Services team" in said, said
    assert promised in said and case.reference in said, said
    scan(page)
    assert case.owner.display_name == "Owen Officer"
    context.close()

    # 3. Owen is away: Lee reassigns the case to Cara from the team queue.
    context, page = signed_in(browser, base, "lee@north-norfolk.gov.uk", javascript=javascript,
                              next_path="/staff/queues/waste-services/")
    expect(page.get_by_label(f"Select {case.reference}")).to_be_visible()
    scan(page)
    submit_empty(page, "Assign selected cases", scan)
    page.get_by_label(f"Select {case.reference}").check()
    page.get_by_label("Assign selected to").select_option(label="Cara Officer")
    page.get_by_role("button", name="Assign selected cases").click()
    expect(page.locator("main")).to_contain_text("1 case assigned to Cara Officer")
    scan(page)
    assert Case.objects.get().owner_id == cara.pk
    context.close()

    # 4. Cara opens it from her queue and works it to resolution.
    context, page = signed_in(browser, base, "cara@north-norfolk.gov.uk", javascript=javascript,
                              next_path="/staff/my-cases/")
    expect(page.locator("h1")).to_have_text("My cases")
    scan(page)
    page.get_by_role("link", name=case.reference).first.click()
    expect(page.locator("h1")).to_have_text(case.reference)
    scan(page)
    submit_empty(page, "Send update", scan)
    page.get_by_label("Update for the customer", exact=True).fill(
        "A crew will clear the lay-by tomorrow.")
    page.get_by_role("button", name="Send update").click()
    expect(page.locator("main")).to_contain_text("Update saved and sent to the customer")
    page.get_by_text("Resolve the case").click()
    page.get_by_label("Done", exact=True).check()
    page.get_by_label("What was done", exact=True).fill("Cleared three mattresses")
    page.get_by_role("button", name="Resolve case").click()
    expect(page.locator("main")).to_contain_text("resolved")
    scan(page)
    context.close()

    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.owner_id == cara.pk
    assert case.outcome == "done"
    events = CaseEvent.objects.filter(case=case)
    assert events.filter(kind=EventKind.ASSIGNED, by__display_name="Lee Leader").exists()
    assert {EventKind.MESSAGE_SENT, EventKind.RESOLVED} <= set(
        events.filter(by=cara).values_list("kind", flat=True))
    assert Contact.objects.filter(customer=rita).count() == 2
