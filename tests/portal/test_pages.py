"""Resident pages: what a resident sees on the home page, the A to Z, and the error pages."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import include, path

from frontdoor.council.config import CouncilConfig
from frontdoor.council.errors import CouncilNotLoaded
from tests.pagecheck import check_page, text_of

pytestmark = pytest.mark.django_db


def test_home_shows_the_council_services_search_and_contact_details(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = check_page(
        response.content.decode(),
        title_contains="North Norfolk District Council",
    )
    text = text_of(page)
    assert "North Norfolk District Council" in text
    assert "Search for a service" in text
    assert 'action="/services/"' in response.content.decode()
    first_service = sorted(s.name.en for s in north_norfolk.services)[0]
    assert first_service in text
    assert "01263 513811" in text
    assert "Council Offices, Cromer" in text
    assert "8:30am to 5pm" in text  # Cromer's opening hours
    assert "Out-of-hours emergencies" in text


def test_every_service_is_listed_a_to_z(client: Client, north_norfolk: CouncilConfig) -> None:
    response = client.get("/services/")
    page = check_page(response.content.decode(), title_contains="Services A to Z")
    names = [text_of(h) for h in page.iter("{http://www.w3.org/1999/xhtml}h2")]
    expected = sorted((s.name.en for s in north_norfolk.services), key=str.casefold)
    assert [n for n in names if n in expected] == expected


def test_search_keeps_only_services_matching_every_word(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    response = client.get("/services/", {"q": "  Missed   BIN "})
    html = response.content.decode()
    check_page(html)
    page_text = text_of(check_page(html))
    assert "Report a missed bin collection" in page_text
    assert "Pay your council tax" not in page_text
    assert "match “Missed BIN”" in page_text or "matches “Missed BIN”" in page_text


def test_search_finds_services_by_keyword(client: Client, north_norfolk: CouncilConfig) -> None:
    service = next(s for s in north_norfolk.services if s.keywords)
    keyword = next(k for k in service.keywords if k.casefold() not in service.name.en.casefold())
    response = client.get("/services/", {"q": keyword})
    assert service.name.en in response.content.decode()


def test_a_search_with_no_results_says_so_and_offers_the_phone(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    response = client.get("/services/", {"q": "zzzz-nothing"})
    text = text_of(check_page(response.content.decode()))
    assert "0 services match" in text
    assert "01263 513811" in text


def test_accessibility_statement_names_the_council_and_how_to_ask_for_other_formats(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    response = client.get("/accessibility/")
    text = text_of(check_page(response.content.decode(), title_contains="Accessibility statement"))
    assert "North Norfolk District Council" in text
    assert "customer.services@north-norfolk.gov.uk" in text
    assert "Enforcement procedure" in text


def test_privacy_notice(client: Client, north_norfolk: CouncilConfig) -> None:
    response = client.get("/privacy/")
    check_page(response.content.decode(), title_contains="Privacy notice")


def test_footer_is_the_councils_own_with_the_required_links(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    html = client.get("/").content.decode()
    assert 'href="/accessibility/"' in html
    assert 'href="/privacy/"' in html
    assert "Contact us" in html
    assert "govuk-footer__crown" not in html
    assert "favicon.svg" in html and "govuk-icon" not in html


def test_pages_load_their_css_and_scripts_from_static(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    html = client.get("/").content.decode()
    assert 'href="/static/css/app.css"' in html
    assert 'import { initAll } from "/static/govuk/govuk-frontend.min.js"' in html
    assert "/static/moj/moj-frontend.min.js" in html
    assert 'lang="en-GB"' in html


def test_pages_still_work_before_a_council_is_loaded(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def not_loaded() -> CouncilConfig:
        raise CouncilNotLoaded()

    monkeypatch.setattr("frontdoor.portal.pages.current_council", not_loaded)
    response = client.get("/")
    assert response.status_code == 200
    text = text_of(check_page(response.content.decode()))
    assert "Front Door" in text and "No services are listed yet" in text


def test_unknown_address_gets_the_not_found_page(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = text_of(check_page(response.content.decode(), title_contains="Page not found"))
    assert "North Norfolk District Council" in text


def _boom(request: object) -> None:
    raise RuntimeError("planted failure")


urlpatterns = [path("boom/", _boom), path("", include("frontdoor.portal.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_shows_the_sorry_page_without_details(north_norfolk: CouncilConfig) -> None:
    # handler500 comes from the project URLconf; this test URLconf borrows it.
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    check_page(html, title_contains="Sorry, there is a problem with the service")
    assert "planted failure" not in html


handler500 = "frontdoor.portal.views.server_error"
