"""A resident books, changes and cancels an appointment in a real browser, with and without
JavaScript; every page (and its error state) is scanned with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from frontdoor.appointments.models import Appointment
from tests.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_guest_books_then_cancels_an_appointment(council, live_server, browser, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()

    def scan() -> None:
        if javascript:  # axe-core needs JavaScript; the no-JS run checks the journey works
            assert_accessible(page)

    page.goto(f"{live_server.url}/appointments/")
    page.get_by_role("button", name="Continue").click()  # nothing chosen: the error
    expect(page).to_have_title(re.compile(r"^Error: "))
    scan()
    page.get_by_label("Apply for Housing Benefit").check()
    page.get_by_role("button", name="Continue").click()
    scan()
    page.get_by_label("Face to face at Council Offices, Cromer").check()
    page.get_by_role("button", name="Continue").click()
    scan()
    page.locator("input[name=day]").first.check()
    page.get_by_role("button", name="Continue").click()
    scan()
    page.locator("input[name=time]").first.check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()  # no details: errors
    expect(page).to_have_title(re.compile(r"^Error: "))
    scan()
    page.get_by_label("Full name", exact=True).fill("Gail Guest")
    page.get_by_label("Email address", exact=True).fill("gail@example.com")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your booking")
    scan()
    page.get_by_role("button", name="Book appointment").click()
    expect(page.locator("h1")).to_contain_text("Appointment booked")
    expect(page.locator("#what-to-bring")).to_be_visible()
    scan()

    page.locator("#manage-link").click()
    expect(page.locator("h1")).to_have_text("Your appointment")
    scan()
    page.get_by_role("button", name="Change the time").click()
    page.get_by_role("button", name="Continue").click()  # no day: the error
    expect(page).to_have_title(re.compile(r"^Error: "))
    scan()
    page.locator("input[name=day]").last.check()
    page.get_by_role("button", name="Continue").click()
    scan()
    page.locator("input[name=time]").first.check()
    page.get_by_role("button", name="Change appointment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your appointment has been changed")
    page.get_by_role("link", name="Cancel this appointment").click()
    scan()
    page.get_by_role("button", name="Cancel appointment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your appointment has been cancelled")
    scan()
    assert Appointment.objects.get().status == "cancelled"
    context.close()
