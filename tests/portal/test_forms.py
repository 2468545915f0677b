"""Online forms: each question type checked, check answers, confirmation, sending once."""

from __future__ import annotations

import pytest
from django.test import Client

from frontdoor.cases.form_fields import clean_page
from frontdoor.cases.models import Attachment, Case
from frontdoor.council.config import CouncilConfig, FormPage
from frontdoor.customers.models import Customer
from frontdoor.notifications.models import Message
from tests.pagecheck import check_page, text_of
from tests.portal.form_helpers import (
    ABOUT_ME,
    Clock,
    clock_fixture,  # noqa: F401  (the "clock" fixture)
    report_fly_tipping,
    small_jpeg,
)

pytestmark = pytest.mark.django_db


def _page(config: CouncilConfig, service: str, form: str, page: str) -> FormPage:
    return next(p for p in config.form(service, form).pages if p.code == page)


@pytest.mark.parametrize(
    ("service", "form", "page", "data", "target", "message"),
    [
        ("council-tax", "moving-home", "moving", {}, "moving",
         "Select whether you are moving in, out or within North Norfolk"),
        ("council-tax", "moving-home", "moving", {"moving": "sideways"}, "moving",
         "Select one of the options"),
        ("council-tax", "moving-home", "move-date",
         {"move_date-day": "31", "move_date-month": "2", "move_date-year": "2026"},
         "move_date-day", "Enter a real date, like 27 3 2026"),
        ("council-tax", "moving-home", "move-date",
         {"move_date-day": "3", "move_date-month": "", "move_date-year": "2026"},
         "move_date-month", "The date must include a month"),
        ("council-tax", "moving-home", "new-address",
         {"new_address-line1": "1 High Street", "new_address-postcode": "NOT A POSTCODE"},
         "new_address-postcode", "Enter a real postcode, like NR27 9EN"),
        ("council-tax", "moving-home", "new-address",
         {"new_address-line1": "1 High Street", "new_address-postcode": "NR27 9EN",
          "new_address-uprn": "12345678901234"},
         "new_address-uprn", "A property reference (UPRN) is up to 12 digits"),
        ("council-tax", "moving-home", "others", {"others_living": "maybe"}, "others_living",
         "Select yes or no"),
        ("bulky-waste", "bulky-waste-request", "count", {"item_count": "two"}, "item_count",
         "Enter a whole number, like 2"),
        ("bulky-waste", "bulky-waste-request", "count", {"item_count": "7"}, "item_count",
         "We collect up to 3 items at a time: call us to arrange more"),
        ("bulky-waste", "bulky-waste-request", "items", {"items": "x" * 601}, "items",
         "Your answer must be 600 characters or fewer"),
        ("garden-waste", "garden-waste-subscription", "bins", {"bins": "9"}, "bins",
         "Select one of the options"),
        ("fly-tipping", "report", "where", {"location-latitude": "52.9"}, "location-description",
         "Tell us where it is"),
        ("fly-tipping", "report", "where",
         {"location-description": "Lane", "location-latitude": "95", "location-longitude": "1"},
         "location-latitude", "Enter the latitude as a number between -90 and 90"),
    ],
)
def test_each_question_type_refuses_bad_answers_with_a_clear_message(
    north_norfolk: CouncilConfig, service, form, page, data, target, message
) -> None:
    result = clean_page(page=_page(north_norfolk, service, form, page), data=data, files={})
    assert [(e.target, e.message) for e in result.errors] == [(target, message)]
    assert result.answers == {}


def test_good_answers_are_normalised(north_norfolk: CouncilConfig) -> None:
    result = clean_page(
        page=_page(north_norfolk, "council-tax", "moving-home", "new-address"),
        data={"new_address-line1": " 1 High Street ", "new_address-postcode": "nr279en",
              "new_address-uprn": "100090123456"}, files={})
    assert result.errors == []
    assert result.answers["new_address"] == {
        "line1": "1 High Street", "line2": "", "town": "", "postcode": "NR27 9EN",
        "uprn": "100090123456"}
    date = clean_page(page=_page(north_norfolk, "council-tax", "moving-home", "move-date"),
                      data={"move_date-day": "7", "move_date-month": "3",
                            "move_date-year": "2026"}, files={})
    assert date.answers == {"move_date": "2026-03-07"}


def test_a_disguised_or_oversized_upload_is_refused(north_norfolk: CouncilConfig) -> None:
    from frontdoor.cases.form_fields import UploadedFile
    from frontdoor.cases.uploads import MAX_UPLOAD_BYTES

    page = _page(north_norfolk, "fly-tipping", "report", "photo")
    program = UploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200)
    result = clean_page(page=page, data={}, files={"photo": program})
    assert result.errors[0].message.startswith("The selected file must be a photo")
    huge = UploadedFile("big.jpg", small_jpeg() + b"\x00" * MAX_UPLOAD_BYTES)
    result = clean_page(page=page, data={}, files={"photo": huge})
    assert result.errors[0].message == "The selected file must be smaller than 10MB"


def test_an_error_page_has_an_error_summary_linking_to_the_field(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    client.get("/services/bulky-waste/bulky-waste-request/start/")
    client.post("/services/bulky-waste/bulky-waste-request/about-you/", ABOUT_ME)
    response = client.post("/services/bulky-waste/bulky-waste-request/address/",
                           {"address-line1": "1 High Street", "address-postcode": "XX"})
    html = response.content.decode()
    page = check_page(html)
    assert page.find(".//{http://www.w3.org/1999/xhtml}title").text.startswith("Error: ")
    assert 'href="#address-postcode"' in html
    assert 'value="1 High Street"' in html  # what was typed is kept


def test_a_guest_reports_fly_tipping_and_sees_reference_team_date_and_tracking_link(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    report_fly_tipping(client, photo=small_jpeg())
    check = client.get("/services/fly-tipping/report/check/")
    text = text_of(check_page(check.content.decode(), title_contains="Check your answers"))
    assert "Six black bags and a mattress" in text and "Ada Lovelace" in text
    assert 'href="/services/fly-tipping/report/what/?change=1#details"' in check.content.decode()

    response = client.post("/services/fly-tipping/report/check/")
    assert response.status_code == 302
    confirmation = client.get(response["Location"])
    text = text_of(check_page(confirmation.content.decode()))
    case = Case.objects.get()
    assert case.reference in text
    assert "Our Waste and Environmental Services team will deal with it." in text
    assert "We will reply by Monday 12 January 2026." in text
    assert "/track/" in confirmation.content.decode()
    assert case.channel == "web_form" and case.tracking_token_hash
    assert case.form_answers["details"] == "Six black bags and a mattress"
    assert float(case.latitude) == pytest.approx(52.9312)
    assert case.address == "Behind Cromer library, Canadas Lane"
    assert Attachment.objects.get(case=case).content_type == "image/jpeg"
    assert Message.objects.filter(event="contact_acknowledged").count() == 1


def test_sending_twice_or_refreshing_makes_one_case(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    report_fly_tipping(client)
    first = client.post("/services/fly-tipping/report/check/")
    again = client.post("/services/fly-tipping/report/check/")
    assert first.status_code == again.status_code == 302
    assert again["Location"].endswith("/confirmation/")
    assert Case.objects.count() == 1
    assert Customer.objects.count() == 1


def test_a_guest_is_never_matched_to_an_existing_customer_by_email(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    from tests.factories import CustomerFactory, EmailAddressFactory

    someone = CustomerFactory(given_name="Ada", family_name="Lovelace")
    EmailAddressFactory(customer=someone, address="ada@example.com")
    report_fly_tipping(client)
    client.post("/services/fly-tipping/report/check/")
    party = Case.objects.get().parties.get()
    assert party.customer_id != someone.pk


def test_script_typed_into_a_form_comes_back_escaped(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    base = "/services/licensing/licensing-enquiry"
    client.get(f"{base}/start/")
    client.post(f"{base}/about-you/", ABOUT_ME)
    client.post(f"{base}/licence/", {"licence_type": "premises"})
    client.post(f"{base}/existing/", {})
    client.post(f"{base}/question/", {"question": "<script>alert(1)</script> Can I?"})
    html = client.get(f"{base}/check/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Can I?" in html
    client.post(f"{base}/check/")
    assert Case.objects.get().form_answers["question"] == "<script>alert(1)</script> Can I?"


def test_an_over_long_answer_stores_nothing(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    base = "/services/licensing/licensing-enquiry"
    client.get(f"{base}/start/")
    client.post(f"{base}/about-you/", ABOUT_ME)
    response = client.post(f"{base}/question/", {"question": "a" * 2001})
    assert "Your answer must be 2000 characters or fewer" in response.content.decode()
    assert client.get(f"{base}/check/")["Location"].endswith("/licence/")
    assert Case.objects.count() == 0


def test_check_answers_sends_you_back_to_an_unanswered_question(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    client.get("/services/missed-bin/missed-bin/start/")
    response = client.get("/services/missed-bin/missed-bin/check/")
    assert response["Location"].endswith("/about-you/")
