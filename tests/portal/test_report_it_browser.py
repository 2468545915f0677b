"""A guest reports fly-tipping in a real browser, with and without JavaScript (PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from frontdoor.cases.models import Attachment, Case
from tests.axe import assert_accessible
from tests.portal.form_helpers import small_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_guest_reports_fly_tipping_with_a_place_and_a_photo(
    council, live_server, browser, tmp_path, javascript
) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    check = assert_accessible if javascript else (lambda p: None)

    page.goto(f"{live_server.url}/services/fly-tipping/")
    check(page)
    page.get_by_role("button", name="Start now").click()

    page.get_by_role("button", name="Continue").click()  # nothing filled in: an error
    expect(page).to_have_title(re.compile(r"^Error: "))
    check(page)
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email address (optional)").fill("ada@example.com")
    check(page)
    page.get_by_role("button", name="Continue").click()

    check(page)  # where: the no-JS fallback, a description of the place
    page.get_by_label("Describe where it is").fill("Behind Cromer library, Canadas Lane")
    page.get_by_role("button", name="Continue").click()

    check(page)
    page.get_by_label("What has been dumped?").fill("Six black bags and a mattress")
    page.get_by_label("A car boot load").check()
    page.get_by_role("button", name="Continue").click()

    photo = tmp_path / "fly-tip.jpg"
    photo.write_bytes(small_jpeg())
    check(page)
    page.get_by_label("Add a photo (optional)").set_input_files(str(photo))
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Check your answers before sending")
    check(page)
    page.get_by_role("button", name="Send").click()

    case = Case.objects.get()
    expect(page.locator("#reference")).to_have_text(case.reference)
    assert "/track/" in page.locator("#tracking-link").get_attribute("href")
    check(page)
    assert Attachment.objects.get(case=case).original_name == "fly-tip.jpg"
    context.close()
