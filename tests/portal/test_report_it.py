"""Street reports: reports nearby are offered before a duplicate is made; county services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from frontdoor.cases.actions import CaseLocation
from frontdoor.cases.models import Case, PartyRole
from frontdoor.cases.web_forms import haversine_m, nearby_open_reports
from frontdoor.contacts.models import Contact
from frontdoor.council.config import CouncilConfig
from frontdoor.notifications.models import Message
from tests.cases.factories import open_waste_case
from tests.pagecheck import check_page, text_of
from tests.portal.form_helpers import (
    ABOUT_ME,
    Clock,
    clock_fixture,  # noqa: F401  (the "clock" fixture)
    report_fly_tipping,
)

pytestmark = pytest.mark.django_db


def _existing_report(now, lat="52.931900", lng="1.301500", service="fly-tipping") -> Case:
    return open_waste_case(by=None, now=now - timedelta(days=1), service_code=service,
                           location=CaseLocation(latitude=lat, longitude=lng,
                                                 address="Canadas Lane car park"))


def test_haversine_distance_is_right() -> None:
    # One thousandth of a degree of latitude is about 111 metres.
    assert haversine_m(52.931, 1.301, 52.932, 1.301) == pytest.approx(111.2, abs=0.5)


def test_only_open_reports_of_the_same_service_within_200_metres_are_found(
    north_norfolk: CouncilConfig, now
) -> None:
    near = _existing_report(now)  # about 80 m away
    _existing_report(now, lat="52.940000")  # about 1 km away
    _existing_report(now, service="graffiti")
    found = nearby_open_reports(service_code="fly-tipping", latitude="52.9312",
                                longitude="1.3011")
    assert [r.reference for r in found] == [near.reference]
    assert 70 < found[0].distance_m < 90


def test_a_resident_adds_themselves_to_a_report_nearby_instead_of_a_duplicate(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    now = clock("2026-01-05T10:00:00+00:00")
    existing = _existing_report(now)
    report_fly_tipping(client)
    check = client.get("/services/fly-tipping/report/check/")
    assert check["Location"].endswith("/nearby/")
    nearby = client.get("/services/fly-tipping/report/nearby/")
    text = text_of(check_page(nearby.content.decode()))
    assert existing.reference in text and "Canadas Lane car park" in text

    response = client.post("/services/fly-tipping/report/nearby/",
                           {"reference": existing.reference})
    assert response["Location"].endswith("/confirmation/")
    assert existing.reference in client.get(response["Location"]).content.decode()
    assert Case.objects.count() == 1
    reporter = existing.parties.get(role=PartyRole.REPORTER)
    assert reporter.customer.given_name == "Ada"
    assert existing.case_contacts.count() == 1
    assert Message.objects.filter(event="case_update", customer_id=reporter.customer_id).exists()


def test_a_resident_can_say_it_is_a_different_problem_and_send_their_own(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    now = clock("2026-01-05T10:00:00+00:00")
    _existing_report(now)
    report_fly_tipping(client)
    client.post("/services/fly-tipping/report/nearby/", {})
    assert client.get("/services/fly-tipping/report/check/").status_code == 200
    client.post("/services/fly-tipping/report/check/")
    assert Case.objects.count() == 2


def test_nobody_can_attach_themselves_to_a_case_that_was_not_shown_to_them(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    now = clock("2026-01-05T10:00:00+00:00")
    _existing_report(now)
    far_away = _existing_report(now, lat="52.990000")
    someone_elses = open_waste_case(by=None, now=now, service_code="missed-bin")
    report_fly_tipping(client)
    for reference in (far_away.reference, someone_elses.reference):
        response = client.post("/services/fly-tipping/report/nearby/",
                               {"reference": reference})
        assert response.status_code == 404
    assert not far_away.parties.exists() and not someone_elses.case_contacts.exists()


def test_without_coordinates_no_nearby_check_is_made(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    now = clock("2026-01-05T10:00:00+00:00")
    _existing_report(now)
    report_fly_tipping(client, place={"location-description": "Canadas Lane, Cromer"})
    assert client.get("/services/fly-tipping/report/check/").status_code == 200


def test_a_county_service_is_recorded_as_signposted_and_the_resident_told_where_to_go(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    base = "/services/potholes/report"
    client.get(f"{base}/start/")
    client.post(f"{base}/about-you/", ABOUT_ME)
    client.post(f"{base}/where/", {"location-description": "Holt Road by the school"})
    client.post(f"{base}/what/", {"details": "Deep pothole in the cycle lane"})
    client.post(f"{base}/photo/", {})
    response = client.post(f"{base}/check/")
    text = text_of(check_page(client.get(response["Location"]).content.decode()))
    assert "Norfolk County Council" in text and "0344 800 8020" in text
    assert Case.objects.count() == 0
    contact = Contact.objects.get()
    assert contact.outcome == "signposted"
    assert contact.signposted_to["name"] == "Norfolk County Council"
    told = Message.objects.get(event="case_update")
    assert "norfolk.gov.uk" in told.body
