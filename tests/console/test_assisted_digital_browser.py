"""An agent completes a missed-bin form with a customer in a real browser, then invites them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from frontdoor.cases.models import Case
from frontdoor.core.time import to_london
from frontdoor.notifications.models import Message
from tests.axe import assert_accessible
from tests.factories import EmailAddressFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse 42"


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_an_agent_completes_a_missed_bin_report_for_a_customer_and_invites_them(
        council, live_server, browser, javascript):
    UserFactory(email="ann@north-norfolk.gov.uk", role="agent", display_name="Ann Agent",
                password=PASSWORD)
    customer = EmailAddressFactory(address="maggie@example.com").customer
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()

    def arrive(heading: str | re.Pattern[str]) -> None:
        expect(page.locator("h1")).to_have_text(heading)
        if javascript:
            assert_accessible(page)

    page.goto(f"{live_server.url}/staff/sign-in/")
    page.get_by_label("Email address").fill("ann@north-norfolk.gov.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/sign-in/"))

    page.goto(f"{live_server.url}/staff/customers/{customer.pk}/")
    arrive(customer.display_name)
    page.get_by_role("link", name=f"Complete an online form with {customer.display_name}").click()
    arrive("Complete an online form with the customer")
    page.get_by_role("link", name="Report a missed bin collection").click()
    arrive("How did the customer contact us?")
    page.get_by_role("button", name="Continue").click()  # nothing chosen
    expect(page).to_have_title(re.compile(r"^Error: "))
    if javascript:
        assert_accessible(page)
    page.get_by_label("Phone").check()
    page.get_by_role("button", name="Continue").click()

    arrive("The address where the bin was missed")
    page.get_by_label("Address line 1").fill("1 Church Street")
    page.get_by_label("Town or city (optional)").fill("Cromer")
    page.get_by_label("Postcode").fill("NR27 9EN")
    page.get_by_role("button", name="Continue").click()
    arrive("Which bin was missed?")
    page.get_by_label("Recycling (green bin)").check()
    page.get_by_role("button", name="Continue").click()
    arrive("Your collection day")
    missed_on = to_london(timezone.now()).date() - timedelta(days=1)
    page.get_by_label("Day").fill(str(missed_on.day))
    page.get_by_label("Month").fill(str(missed_on.month))
    page.get_by_label("Year").fill(str(missed_on.year))
    page.locator("input[name=put_out][value=yes]").check()
    page.get_by_role("button", name="Continue").click()

    arrive("Check the answers with the customer")
    expect(page.locator("#answers")).to_contain_text("1 Church Street")
    page.get_by_role("button", name="Send").click()

    arrive("Request sent")
    case = Case.objects.get()
    expect(page.locator("#reference")).to_have_text(case.reference)
    expect(page.locator("#read-out")).to_contain_text("Waste")
    assert case.parties.get().customer_id == customer.pk and case.channel == "phone"
    assert case.events.filter(data__assisted_by__isnull=False).exists()

    page.get_by_role("button", name="Invite them to My Account").click()
    expect(page.locator("#invited")).to_contain_text("maggie@example.com")
    if javascript:
        assert_accessible(page)
    assert Message.objects.filter(event="account_invitation").count() == 1
    context.close()
