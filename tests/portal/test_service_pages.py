"""A page per service: what it is, how long it takes, the ways to do it, closed-now banner."""

from __future__ import annotations

import pytest
from django.test import Client

from frontdoor.council.config import CouncilConfig
from tests.pagecheck import check_page, text_of
from tests.portal.form_helpers import (
    Clock,
    clock_fixture,  # noqa: F401  (the "clock" fixture)
)

pytestmark = pytest.mark.django_db


def test_a_service_page_says_what_it_is_how_long_it_takes_and_the_ways_to_do_it(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    clock("2026-01-05T10:00:00+00:00")
    response = client.get("/services/missed-bin/")
    assert response.status_code == 200
    page = check_page(response.content.decode(), title_contains="Report a missed bin collection")
    text = text_of(page)
    assert "Tell us if your bin was not emptied" in text
    # North Norfolk's charter: online forms answered within 5 working days.
    assert "We reply within 5 working days." in text
    assert "If you send it now, we will reply by Monday 12 January 2026." in text
    assert "Our Waste and Environmental Services team deals with it." in text
    assert 'href="/services/missed-bin/missed-bin/start/"' in response.content.decode()
    assert "01263 513811" in text  # by phone
    assert "Council Offices, Cromer" in text and "8:30am to 5pm" in text  # in person
    assert "Offices closed" not in text


def test_a_service_another_body_provides_is_signposted_with_its_contact_details(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    clock("2026-01-05T10:00:00+00:00")
    response = client.get("/services/potholes/")
    text = text_of(check_page(response.content.decode()))
    assert "Norfolk County Council provides this service, not us." in text
    assert "0344 800 8020" in text
    assert 'href="https://www.norfolk.gov.uk"' in response.content.decode()
    assert "Tell us and we will pass it on" in text
    assert "We reply within" not in text


def test_when_offices_are_closed_the_page_gives_emergency_numbers_and_the_next_opening(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    clock("2026-01-10T20:00:00+00:00")
    text = text_of(check_page(client.get("/services/homelessness/").content.decode()))
    assert "Our offices are closed now." in text
    # Cromer opens Monday 8:30am (Fakenham Connect only at 9am).
    assert "We next open on Monday 12 January 2026 at 8:30am." in text
    assert "Out-of-hours emergencies" in text and "01263 513811" in text


def test_the_next_opening_skips_bank_holidays(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    clock("2026-04-03T12:00:00+00:00")
    text = text_of(check_page(client.get("/services/council-tax/").content.decode()))
    assert "Our offices are closed now." in text
    # Easter Monday 6 April is a bank holiday too: next opening is Tuesday 7 April (BST).
    assert "We next open on Tuesday 7 April 2026 at 8:30am." in text


def test_an_unknown_service_is_not_found(client: Client, north_norfolk: CouncilConfig) -> None:
    assert client.get("/services/no-such-thing/").status_code == 404
