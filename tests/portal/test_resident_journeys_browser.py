"""Residents' journeys end to end in a real browser, with and without JavaScript; with it on,
axe-core scans every page visited, error states included (PostgreSQL, Playwright).

a. a guest reports fly-tipping with a place and a photo, then follows it later by the private
   link from the confirmation page, in a fresh browser, and sees an officer's update;
b. a resident registers, confirms, signs in, reports a missed bin, follows it in My Account,
   adds information, reads the officer's update and, once it is resolved, answers the survey;
c. a signed-in resident books an appointment, finds it from My Account and cancels it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from frontdoor.appointments.models import Appointment
from frontdoor.cases.actions import add_customer_update, resolve_case
from frontdoor.cases.models import Attachment, Case, Status
from frontdoor.core.time import to_london
from frontdoor.feedback.actions import invite_newly_resolved
from frontdoor.feedback.models import SurveyResponse
from tests.axe import assert_accessible
from tests.factories import UserFactory
from tests.portal.account_support import (
    PASSWORD,
    clear_throttle,
    latest_link,
    make_resident,
    path_of,
)
from tests.portal.form_helpers import small_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Scan = Callable[[Page], None]


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    clear_throttle()
    yield
    clear_throttle()


def scanner(javascript: bool) -> Scan:
    # axe-core needs JavaScript; without it the run proves the journey works.
    return assert_accessible if javascript else (lambda _page: None)


def submit_empty(page: Page, button: str, scan: Scan) -> None:
    """Press the button with nothing filled in: the GOV.UK error state, scanned."""
    page.get_by_role("button", name=button).click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    scan(page)


def waste_officer():
    return UserFactory(role="case_officer", display_name="Owen Officer",
                       teams={"waste-services": "member"})


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_guest_reports_fly_tipping_then_follows_it_by_the_private_link(
    council, live_server, browser, tmp_path, javascript
):
    scan = scanner(javascript)
    reporting = browser.new_context(java_script_enabled=javascript)
    page = reporting.new_page()
    page.goto(f"{live_server.url}/services/fly-tipping/")
    scan(page)
    page.get_by_role("button", name="Start now").click()
    submit_empty(page, "Continue", scan)
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email address (optional)").fill("ada@example.com")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_label("Describe where it is")).to_be_visible()
    submit_empty(page, "Continue", scan)
    page.get_by_label("Describe where it is").fill("Behind Cromer library, Canadas Lane")
    page.get_by_text("I know the map coordinates").click()
    page.get_by_label("Latitude (optional)").fill("52.931200")
    page.get_by_label("Longitude (optional)").fill("1.301100")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_label("What has been dumped?")).to_be_visible()
    submit_empty(page, "Continue", scan)
    page.get_by_label("What has been dumped?").fill("Six black bags and a mattress")
    page.get_by_label("A car boot load").check()
    page.get_by_role("button", name="Continue").click()

    photo = tmp_path / "fly-tip.jpg"
    photo.write_bytes(small_jpeg())
    expect(page.get_by_label("Add a photo (optional)")).to_be_attached()
    scan(page)
    page.get_by_label("Add a photo (optional)").set_input_files(str(photo))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers before sending")
    scan(page)
    page.get_by_role("button", name="Send").click()

    expect(page.locator("#reference")).to_be_visible()
    case = Case.objects.get()
    expect(page.locator("#reference")).to_have_text(case.reference)
    assert "Behind Cromer library, Canadas Lane" in case.address + case.description
    assert (float(case.latitude), float(case.longitude)) == (52.9312, 1.3011)
    assert Attachment.objects.get(case=case).original_name == "fly-tip.jpg"
    promised = to_london(case.promised_at).strftime("%A %-d %B %Y")
    expect(page.locator("#promised")).to_contain_text(promised)
    tracking_url = page.locator("#tracking-link").get_attribute("href")
    assert tracking_url and tracking_url.startswith("/track/")
    scan(page)
    reporting.close()

    # Days later, on another device: only the private link.
    officer = waste_officer()
    later = browser.new_context(java_script_enabled=javascript)
    page = later.new_page()
    page.goto(live_server.url + tracking_url)
    expect(page.locator("h1")).to_have_text(f"Request {case.reference}")
    summary = page.locator(".govuk-summary-list")
    expect(summary).to_contain_text("Received")
    expect(summary).to_contain_text(f"We will reply by {promised}")
    expect(page.locator("main")).to_contain_text("fly-tip.jpg")
    scan(page)

    add_customer_update(case=case, text="A crew will clear it on Tuesday.", by=officer,
                        now=timezone.now())
    page.reload()
    expect(page.locator("main")).to_contain_text("A crew will clear it on Tuesday.")
    expect(page.locator("main")).to_contain_text("Update from the council")
    scan(page)

    page.get_by_role("button", name="Add information or a file").click()
    expect(page.locator("h1")).to_have_text("Add information to your request")
    scan(page)
    submit_empty(page, "Send", scan)
    page.get_by_label("What do you want to tell us?").fill("Someone added a fridge.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "We have added your information")
    expect(page.locator("main")).to_contain_text("Someone added a fridge.")
    scan(page)
    later.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_resident_registers_reports_a_missed_bin_follows_it_and_answers_the_survey(
    council, live_server, browser, javascript
):
    scan = scanner(javascript)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()

    page.goto(f"{live_server.url}/account/register/")
    scan(page)
    submit_empty(page, "Create account", scan)
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Patel")
    page.get_by_label("Email address").fill("priya@example.com")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    scan(page)

    page.goto(live_server.url + path_of(latest_link("priya@example.com")))
    expect(page.locator("h1")).to_contain_text("Email address confirmed")
    scan(page)
    page.get_by_role("button", name="Sign in").click()
    submit_empty(page, "Sign in", scan)
    page.get_by_label("Email address").fill("priya@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your account")
    scan(page)

    # Signed in, the form skips "your details": the account already says who she is.
    page.goto(f"{live_server.url}/services/missed-bin/")
    scan(page)
    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_label("Address line 1")).to_be_visible()
    submit_empty(page, "Continue", scan)
    page.get_by_label("Address line 1").fill("1 Church Street")
    page.get_by_label("Town or city (optional)").fill("Cromer")
    page.get_by_label("Postcode").fill("NR27 9EN")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("General waste (black or grey bin)")).to_be_visible()
    submit_empty(page, "Continue", scan)
    page.get_by_label("General waste (black or grey bin)").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Day")).to_be_visible()
    submit_empty(page, "Continue", scan)
    missed_on = to_london(timezone.now()).date() - timedelta(days=1)
    page.get_by_label("Day").fill(str(missed_on.day))
    page.get_by_label("Month").fill(str(missed_on.month))
    page.get_by_label("Year").fill(str(missed_on.year))
    page.locator("input[name=put_out][value=yes]").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers before sending")
    scan(page)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#reference")).to_be_visible()
    case = Case.objects.get()
    expect(page.locator("#reference")).to_have_text(case.reference)
    assert case.account.email == "priya@example.com"
    scan(page)

    page.goto(f"{live_server.url}/account/requests/")
    scan(page)
    page.get_by_role("link", name=case.reference).click()
    expect(page.locator("h1")).to_have_text(f"Request {case.reference}")
    scan(page)
    page.get_by_role("button", name="Add information or a file").click()
    submit_empty(page, "Send", scan)
    page.get_by_label("What do you want to tell us?").fill("The recycling was missed too.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "We have added your information")
    expect(page.locator("main")).to_contain_text("The recycling was missed too.")

    officer = waste_officer()
    add_customer_update(case=case, text="The crew will come back tomorrow morning.",
                        by=officer, now=timezone.now())
    page.reload()
    expect(page.locator("main")).to_contain_text("The crew will come back tomorrow morning.")
    scan(page)

    case.refresh_from_db()
    resolve_case(case=case, outcome="done", note="Both bins emptied", by=officer,
                 now=timezone.now(), expected_version=case.version)
    page.reload()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Resolved")
    scan(page)
    assert invite_newly_resolved(now=timezone.now()) == 1

    page.goto(live_server.url + path_of(latest_link("priya@example.com", "survey_invitation")))
    expect(page.locator("h1")).to_have_text("How did we do?")
    scan(page)
    submit_empty(page, "Send answers", scan)
    for name in ("ease_of_access", "satisfaction_service", "satisfaction_staff"):
        page.locator(f"input[name={name}][value=very_satisfied]").check()
    page.locator("input[name=resolved_first_time][value=no]").check()
    page.locator("input[name=channel_used][value=web_form]").check()
    page.locator("input[name=preferred_channel][value=web_form]").check()
    page.get_by_role("button", name="Send answers").click()
    expect(page.locator("h1")).to_have_text("Thank you for your answers")
    scan(page)
    response = SurveyResponse.objects.get()
    assert (response.case_reference, response.satisfaction_service) == (
        case.reference, "very_satisfied")
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_signed_in_resident_books_an_appointment_and_cancels_it_from_my_account(
    council, live_server, browser, now, javascript
):
    scan = scanner(javascript)
    make_resident(now=now, email="gail@example.com", given="Gail", family="Green")
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}/account/sign-in/?next=/appointments/")
    page.get_by_label("Email address").fill("gail@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_label("Apply for Housing Benefit")).to_be_visible()
    scan(page)
    submit_empty(page, "Continue", scan)
    page.get_by_label("Apply for Housing Benefit").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Face to face at Council Offices, Cromer")).to_be_visible()
    submit_empty(page, "Continue", scan)
    page.get_by_label("Face to face at Council Offices, Cromer").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("input[name=day]").first).to_be_visible()
    submit_empty(page, "Continue", scan)
    page.locator("input[name=day]").first.check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("input[name=time]").first).to_be_visible()
    submit_empty(page, "Continue", scan)
    page.locator("input[name=time]").first.check()
    page.get_by_role("button", name="Continue").click()
    # The account fills in who she is.
    expect(page.get_by_label("Email address", exact=True)).to_have_value("gail@example.com")
    scan(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your booking")
    scan(page)
    page.get_by_role("button", name="Book appointment").click()
    expect(page.locator("h1")).to_contain_text("Appointment booked")
    scan(page)
    appointment = Appointment.objects.get()
    assert appointment.account.email == "gail@example.com"

    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Your appointments").click()
    expect(page.locator("h1")).to_have_text("Your appointments")
    scan(page)
    page.locator("main a.govuk-link", has_text=re.compile(r"\d")).first.click()
    expect(page.locator("h1")).to_have_text("Your appointment")
    expect(page.locator("main")).to_contain_text(appointment.reference)
    scan(page)
    page.get_by_role("link", name="Cancel this appointment").click()
    scan(page)
    page.get_by_role("button", name="Cancel appointment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your appointment has been cancelled")
    scan(page)
    assert Appointment.objects.get().status == "cancelled"
    page.goto(f"{live_server.url}/appointments/mine/")
    expect(page.locator("main")).to_contain_text("You have no appointments booked.")
    context.close()
