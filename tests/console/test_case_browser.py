"""In a real browser: an officer works a case to resolution; a team leader shares out the queue."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from frontdoor.cases.models import Case, CaseEvent, EventKind, Status
from frontdoor.core.time import to_london
from tests.axe import assert_accessible
from tests.cases.factories import open_waste_case
from tests.factories import CustomerFactory, EmailAddressFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse 42"


def sign_in(page, live_server, email: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/staff/sign-in/?next={next_path}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_case_officer_works_a_request_through_to_resolution(council, live_server, browser,
                                                              javascript):
    now = timezone.now()
    officer = UserFactory(email="fay.foi@north-norfolk.gov.uk", display_name="Fay Foi",
                          role="case_officer", password=PASSWORD,
                          teams={"information-governance": "member"})
    customer = CustomerFactory(given_name="Rita", family_name="Resident")
    EmailAddressFactory(customer=customer)
    case = open_waste_case(by=officer, now=now, case_type="foi", service_code="foi-request",
                           customer=customer)
    assert case.promised_at is not None
    new_date = to_london(case.promised_at).date() + timedelta(days=7)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()

    sign_in(page, live_server, officer.email, "/staff/queues/information-governance/")
    expect(page.locator("h1")).to_contain_text("Information")
    if javascript:
        assert_accessible(page)
    page.get_by_role("button", name=f"Take {case.reference}").click()
    expect(page.locator("body")).to_contain_text(f"You now own {case.reference}")

    page.get_by_role("link", name=case.reference).first.click()
    expect(page.locator("h1")).to_have_text(case.reference)
    if javascript:
        assert_accessible(page)

    page.get_by_label("Internal note", exact=True).fill("Asked records for the 2024 contracts")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("body")).to_contain_text("Internal note added")

    page.get_by_label("Update for the customer", exact=True).fill(
        "We are gathering the contracts you asked for.")
    page.get_by_role("button", name="Send update").click()
    expect(page.locator("body")).to_contain_text("Update saved and sent to the customer")

    page.get_by_text("Extend the deadline").click()
    page.get_by_label("Day").fill(str(new_date.day))
    page.get_by_label("Month").fill(str(new_date.month))
    page.get_by_label("Year").fill(str(new_date.year))
    page.get_by_label("Why is the deadline being extended?").fill(
        "We need to consider the public interest")
    page.get_by_role("button", name="Extend deadline").click()
    expect(page.locator("body")).to_contain_text("Deadline extended")

    page.get_by_text("Resolve the case").click()
    page.get_by_label("Information provided", exact=True).check()
    page.get_by_label("What was done", exact=True).fill("Sent the contracts by email")
    page.get_by_role("button", name="Resolve case").click()
    expect(page.locator("body")).to_contain_text("resolved")
    if javascript:
        assert_accessible(page)

    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.owner_id == officer.pk
    assert to_london(case.promised_at).date() == new_date
    kinds = set(CaseEvent.objects.filter(case=case, by=officer).values_list("kind", flat=True))
    assert {EventKind.ASSIGNED, EventKind.NOTE_ADDED, EventKind.MESSAGE_SENT,
            EventKind.DEADLINE_EXTENDED, EventKind.RESOLVED} <= kinds
    context.close()


def test_a_team_leader_shares_out_the_queue(council, live_server, page):
    now = timezone.now()
    UserFactory(email="lee.leader@north-norfolk.gov.uk", display_name="Lee Leader",
                role="team_leader", password=PASSWORD, teams={"waste-services": "leader"})
    officer = UserFactory(display_name="Owen Officer", role="case_officer",
                          teams={"waste-services": "member"})
    cases = [open_waste_case(by=officer, now=now) for _ in range(3)]

    sign_in(page, live_server, "lee.leader@north-norfolk.gov.uk", "/staff/queues/waste-services/")
    assert_accessible(page)
    for case in cases[:2]:
        page.get_by_label(f"Select {case.reference}").check()
    page.get_by_label("Assign selected to").select_option(label="Owen Officer")
    page.get_by_role("button", name="Assign selected cases").click()
    expect(page.locator("body")).to_contain_text("2 cases assigned to Owen Officer")
    assert_accessible(page)

    owners = [Case.objects.get(pk=c.pk).owner_id for c in cases]
    assert owners == [officer.pk, officer.pk, None]

    page.goto(f"{live_server.url}/staff/my-cases/")
    expect(page.locator("h1")).to_have_text("My cases")
    assert_accessible(page)


def test_an_error_on_the_case_page_is_accessible(council, live_server, page):
    officer = UserFactory(email="owen@north-norfolk.gov.uk", role="case_officer",
                          password=PASSWORD, teams={"waste-services": "member"})
    case = open_waste_case(by=officer, now=timezone.now())
    sign_in(page, live_server, officer.email, f"/staff/cases/{case.reference}/")
    page.get_by_role("button", name="Add note").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
