"""POST and GET requests: the spec's example request, FixMyStreet's ways of sending, errors."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote, urlencode

import pytest
from PIL import Image

from frontdoor.accounts.actions import create_api_key, revoke_api_key
from frontdoor.accounts.queries import authenticate_api_key
from frontdoor.cases.models import Attachment, Case
from frontdoor.contacts.models import Contact
from frontdoor.customers.models import Customer
from tests.factories import CustomerFactory, EmailAddressFactory, PhoneNumberFactory
from tests.open311.conftest import BASE, errors_of, json_of, xml_of

FORM = "application/x-www-form-urlencoded; charset=utf-8"
# GeoReport v2's example POST, with our jurisdiction and a street-report service code, and
# the fly-tipping form's required question (attribute[amount]) added.
SPEC_EXAMPLE = (
    "api_key={key}&jurisdiction_id=north-norfolk.gov.uk&service_code=fly-tipping"
    "&lat=37.76524078&long=-122.4212043&address_string=1234+5th+street"
    "&email=smith@domain.com&device_id=tt222111&account_id=123456&first_name=john"
    "&last_name=smith&phone=111111111&description=A+large+sinkhole+is+destroying+the+street"
    "&media_url=http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg"
    "&attribute[WHISPAWN]=123456&attribute[WHISDCCN]=456789&attribute[amount]=bags"
)
FMS_DESCRIPTION = (
    "title: Sofa dumped in lay-by\r\n\r\ndetail: Brown leather sofa\r\n\r\n"
    "url: https://fixmystreet.example/report/42\r\n\r\nSubmitted via FixMyStreet\r\n"
)


def fms_report(key: str, **extra: str) -> dict[str, str]:
    """What FixMyStreet sends for a report (Open311.pm _populate_service_request_params)."""
    return {"api_key": key, "jurisdiction_id": "north-norfolk.gov.uk",
            "service_code": "fly-tipping", "lat": "52.931102", "long": "1.301234",
            "first_name": "Jo", "last_name": "Bloggs", "email": "jo@example.com",
            "description": FMS_DESCRIPTION, "attribute[amount]": "car",
            "attribute[fixmystreet_id]": "42", **extra}


def post(client, body, fmt="xml", **kwargs):
    if isinstance(body, dict) and "content_type" not in kwargs:
        body = urlencode(body)
    return client.post(f"{BASE}requests.{fmt}", body, content_type=kwargs.pop("content_type",
                                                                              FORM), **kwargs)


def test_the_spec_example_request_opens_a_case_and_returns_its_reference(
    client, council, api_key, clock
):
    response = post(client, SPEC_EXAMPLE.format(key=api_key))
    assert response.status_code == 200
    root = xml_of(response)
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert len(requests) == 1
    reference = requests[0].findtext("service_request_id")
    assert reference and reference.startswith("NN-2026-")
    assert requests[0].find("token") is None
    case = Case.objects.get(reference=reference)
    assert case.service_code == "fly-tipping" and case.channel == "app_api"
    assert case.description == "A large sinkhole is destroying the street"
    assert str(case.latitude) == "37.765241" and case.address == "1234 5th street"
    assert case.form_answers["WHISPAWN"] == "123456" and case.form_answers["amount"] == "bags"
    contact = Contact.objects.get(case_links__case=case)
    assert contact.channel == "app_api"
    customer = contact.customer
    assert customer.given_name == "john" and customer.family_name == "smith"
    assert list(customer.emails.values_list("address", flat=True)) == ["smith@domain.com"]
    assert "111111111" in contact.summary  # not a real phone number: kept on the contact
    assert case.clocks.exists() or case.promised_at is None  # whatever the charter covers
    media = case.events.get(kind="information_added")
    assert media.data["media_urls"] == [
        "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg"]


def test_a_json_post_answers_with_a_json_array(client, council, api_key, clock):
    body = json_of(post(client, fms_report(api_key), fmt="json"))
    assert isinstance(body, list) and body[0]["service_request_id"].startswith("NN-2026-")


def test_crlf_in_fixmystreet_descriptions_is_normalised_and_the_title_used(
    client, council, api_key, clock
):
    reference = xml_of(post(client, fms_report(api_key))).findtext("request/service_request_id")
    case = Case.objects.get(reference=reference)
    assert "\r" not in case.description
    assert case.description.startswith("title: Sofa dumped in lay-by\n\ndetail: Brown")
    assert case.title == "Sofa dumped in lay-by"


def test_a_retry_with_the_same_fixmystreet_id_returns_the_same_request(
    client, council, api_key, clock
):
    first = xml_of(post(client, fms_report(api_key))).findtext("request/service_request_id")
    again = xml_of(post(client, fms_report(api_key))).findtext("request/service_request_id")
    other = xml_of(post(client, fms_report(api_key, **{"attribute[fixmystreet_id]": "43"})))
    assert first == again
    assert other.findtext("request/service_request_id") != first
    assert Case.objects.count() == 2
    assert Contact.objects.count() == 2
    assert Customer.objects.count() == 1  # the second report matched jo@example.com


def test_a_multipart_post_with_a_photo_stores_it_on_the_case(
    client, council, api_key, clock, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    out = BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(out, format="JPEG")
    photo = BytesIO(out.getvalue())
    photo.name = "photo1.jpeg"
    response = client.post(BASE + "requests.xml", {**fms_report(api_key), "photo1": photo})
    assert response.status_code == 200
    reference = xml_of(response).findtext("request/service_request_id")
    attachment = Attachment.objects.get(case__reference=reference)
    assert attachment.source == "open311" and attachment.content_type == "image/jpeg"
    assert Case.objects.get(reference=reference).description.startswith("title: Sofa")


def test_the_reporter_is_matched_by_email_then_phone_never_by_name_alone(
    client, council, api_key, clock
):
    by_email = CustomerFactory(given_name="Someone", family_name="Else")
    EmailAddressFactory(customer=by_email, address="jo@example.com")
    by_phone = CustomerFactory(given_name="Phone", family_name="Person")
    PhoneNumberFactory(customer=by_phone, e164="+447400123456")
    namesake = CustomerFactory(given_name="Jo", family_name="Bloggs")

    def reporter(**fields):
        body = fms_report(api_key, **{"attribute[fixmystreet_id]": str(len(fields)), **fields})
        reference = xml_of(post(client, body)).findtext("request/service_request_id")
        return Case.objects.get(reference=reference).parties.get().customer

    assert reporter() == by_email
    assert reporter(email="other@example.com", phone="07400 123456", x="1") == by_phone
    new = reporter(email="new@example.com", phone="", x="1", y="2")
    assert new not in (by_email, by_phone, namesake)
    assert (new.given_name, new.family_name) == ("Jo", "Bloggs")


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_post_without_a_valid_api_key_is_refused_with_403(client, council, api_key, now,
                                                            clock, fmt):
    without = fms_report(api_key)
    del without["api_key"]
    _key, no_scope = create_api_key(name="other", scopes=["cases:read"], by=None, now=now)
    revoked_raw = create_api_key(name="old", scopes=["open311"], by=None, now=now)[1]
    revoke_api_key(key=authenticate_api_key(raw_key=revoked_raw, scope="open311"), by=None,
                   now=now)
    for body in (without, fms_report(""), fms_report("not-a-key"), fms_report(no_scope),
                 fms_report(revoked_raw)):
        response = post(client, body, fmt=fmt)
        assert response.status_code == 403
        code = errors_of(response)[0][0] if fmt == "xml" else str(json_of(response)[0]["code"])
        assert code == "403"
    assert not Case.objects.exists()


def test_an_unknown_service_code_is_404_and_a_missing_one_400(client, council, api_key, clock):
    assert post(client, fms_report(api_key, service_code="bogus")).status_code == 404
    assert post(client, fms_report(api_key, service_code="council-tax")).status_code == 404
    assert post(client, fms_report(api_key, service_code="")).status_code == 400


def test_a_report_without_a_location_is_400_and_an_address_alone_will_do(
    client, council, api_key, clock
):
    response = post(client, fms_report(api_key, lat="", long=""))
    assert response.status_code == 400
    assert "location" in errors_of(response)[0][1]
    assert post(client, fms_report(api_key, long="")).status_code == 400
    ok = post(client, fms_report(api_key, lat="", long="", address_string="NR27 9EN"))
    assert ok.status_code == 200
    assert not Case.objects.exclude(address="NR27 9EN").exists()


def test_a_required_form_question_must_be_answered(client, council, api_key, clock):
    body = fms_report(api_key)
    del body["attribute[amount]"]
    response = post(client, body)
    assert response.status_code == 400
    assert "attribute[amount]" in errors_of(response)[0][1]


def test_get_requests_in_xml_and_json_with_the_spec_example_filters(
    client, council, api_key, clock
):
    reference = xml_of(post(client, fms_report(api_key))).findtext("request/service_request_id")
    query = "start_date=2026-01-01T00:00:00Z&end_date=2026-01-06T00:00:00Z&status=open"
    root = xml_of(client.get(f"{BASE}requests.xml?{query}&api_key="))
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert request.findtext("service_request_id") == reference
    assert request.findtext("status") == "open"
    assert request.findtext("service_code") == "fly-tipping"
    assert request.findtext("requested_datetime") == "2026-01-05T10:00:00+00:00"
    assert request.findtext("lat") == "52.931102" and request.findtext("long") == "1.301234"
    assert request.findtext("description").startswith("title: Sofa")
    body = json_of(client.get(f"{BASE}requests.json?{query}"))
    assert [r["service_request_id"] for r in body] == [reference]
    assert json_of(client.get(f"{BASE}requests.json?status=closed")) == []
    outside = "start_date=2025-12-01T00:00:00Z&end_date=2026-01-05T09:00:00Z"
    assert xml_of(client.get(f"{BASE}requests.xml?{outside}")).findall("request") == []


def test_service_request_ids_override_every_other_filter(client, council, api_key, clock):
    one = xml_of(post(client, fms_report(api_key))).findtext("request/service_request_id")
    two = xml_of(post(client, fms_report(api_key, **{"attribute[fixmystreet_id]": "7"})))
    two_id = two.findtext("request/service_request_id")
    root = xml_of(client.get(
        f"{BASE}requests.xml?service_request_id={one},{two_id},NN-2026-999999"
        "&status=closed&start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z"))
    assert {r.findtext("service_request_id") for r in root.findall("request")} == {one, two_id}


@pytest.mark.parametrize("query", [
    "start_date=yesterday",
    "end_date=2026-13-01T00:00:00Z",
    "start_date=2026-01-05T00:00:00Z&end_date=2026-01-01T00:00:00Z",
    "start_date=2025-01-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
    "status=pending",
])
def test_bad_dates_and_statuses_are_400(client, council, clock, query):
    response = client.get(f"{BASE}requests.xml?{query}")
    assert response.status_code == 400
    assert errors_of(response)[0][0] == "400"
    assert json_of(client.get(f"{BASE}requests.json?{query}"))[0]["code"] == 400


def test_an_offset_whose_plus_arrived_as_a_space_is_still_read(client, council, clock):
    start = quote("2026-01-01T00:00:00 00:00")
    assert client.get(f"{BASE}requests.xml?start_date={start}").status_code == 200


def test_one_request_by_id_in_xml_and_json_and_unknown_ids_404(client, council, api_key, clock):
    reference = xml_of(post(client, fms_report(api_key))).findtext("request/service_request_id")
    root = xml_of(client.get(f"{BASE}requests/{reference}.xml"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [reference]
    body = json_of(client.get(f"{BASE}requests/{reference}.json"))
    assert len(body) == 1 and body[0]["service_request_id"] == reference
    assert client.get(f"{BASE}requests/NN-2026-999999.xml").status_code == 404
    assert client.get(f"{BASE}requests/NN-2026-999999.json").status_code == 404


def test_tokens_are_never_issued_so_every_token_is_404(client, council):
    response = client.get(f"{BASE}tokens/12345.xml")
    assert response.status_code == 404
    assert "no tokens" in errors_of(response)[0][1]
    assert client.get(f"{BASE}tokens/12345.json").status_code == 404
