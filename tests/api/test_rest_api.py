"""The REST API as a partner system (or a member of staff's page) uses it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from frontdoor.accounts.actions import revoke_api_key
from frontdoor.accounts.models import ApiKey
from frontdoor.cases.models import Case, CaseContact
from frontdoor.contacts.models import Contact
from frontdoor.notifications.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BIN = {"service_code": "missed-bin", "title": "Bin not collected", "channel": "web_form"}


def _customer(api) -> dict:
    response = api.post("/customers", {"kind": "person", "given_name": "Jo",
                                       "family_name": "Bloggs", "emails": ["jo@example.com"]})
    assert response.status_code == 201, response.content
    return response.json()


def _errors(response) -> list[dict]:
    body = response.json()
    assert set(body) == {"errors"}
    return body["errors"]


# ------------------------------------------------------------------------------ services


def test_partners_can_read_the_service_catalogue(api):
    services = api.get("/services").json()
    assert "missed-bin" in {s["code"] for s in services}
    one = api.get("/services/missed-bin").json()
    assert one["team_code"] == "waste-services"
    assert api.get("/services/no-such-service").status_code == 404


# ----------------------------------------------------------------------------- customers


def test_a_customer_can_be_created_found_and_changed_with_the_version_they_read(api):
    customer = _customer(api)
    found = api.get("/customers", email="JO@example.com").json()
    assert [c["id"] for c in found] == [customer["id"]]
    changed = api.patch(f"/customers/{customer['id']}",
                        {"expected_version": customer["version"], "preferred_channel": "email"})
    assert changed.status_code == 200 and changed.json()["preferred_channel"] == "email"
    stale = api.patch(f"/customers/{customer['id']}",
                      {"expected_version": customer["version"], "needs": "Large print"})
    assert stale.status_code == 409
    assert _errors(stale)[0]["code"] == "conflict"


def test_a_customer_with_a_bad_postcode_is_refused_naming_the_field(api):
    response = api.post("/customers", {"kind": "person", "family_name": "Smith",
                                       "addresses": [{"line1": "1 High St",
                                                      "postcode": "NOT A CODE"}]})
    assert response.status_code == 422
    assert _errors(response)[0]["field"] == "addresses.0.postcode"


def test_searching_customers_needs_something_to_search_by(api):
    response = api.get("/customers")
    assert response.status_code == 422
    assert _errors(response)[0]["code"] == "required"


# ------------------------------------------------------------------------------ contacts


def test_a_contact_is_recorded_against_the_customer(api):
    customer = _customer(api)
    response = api.post("/contacts", {"channel": "phone", "customer_id": customer["id"],
                                      "received_at": timezone.now().isoformat(),
                                      "service_code": "missed-bin", "summary": "Asked about bins"})
    assert response.status_code == 201, response.content
    contact = Contact.objects.get(pk=response.json()["id"])
    assert contact.customer_id == customer["id"] and contact.summary == "Asked about bins"


def test_a_contact_in_the_future_is_refused(api):
    response = api.post("/contacts", {"channel": "phone",
                                      "received_at": "2999-01-01T00:00:00Z"})
    assert response.status_code == 422


# --------------------------------------------------------------------------------- cases


def test_opening_a_case_sets_its_deadline_and_queues_the_acknowledgement(api):
    customer = _customer(api)
    response = api.post("/cases", {**BIN, "customer_id": customer["id"]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("NN-") and body["status"] == "new"
    assert body["team_code"] == "waste-services" and body["due_at"] and body["promised_at"]
    case = Case.objects.get(reference=body["reference"])
    assert CaseContact.objects.filter(case=case).count() == 1
    assert Message.objects.filter(subject_id=case.reference,
                                  event="contact_acknowledged").exists()
    assert api.get(f"/cases/{body['reference']}").json() == body


def test_an_unknown_case_is_not_found(api):
    response = api.get("/cases/NN-2026-999999")
    assert response.status_code == 404 and _errors(response)[0]["code"] == "not_found"


def test_cases_are_listed_newest_first_with_filters_and_a_cursor(api):
    refs = [api.post("/cases", BIN).json()["reference"] for _ in range(3)]
    api.post("/cases", {**BIN, "service_code": "fly-tipping"})
    first = api.get("/cases", service_code="missed-bin", limit=2).json()
    assert [c["reference"] for c in first["cases"]] == refs[:0:-1]
    second = api.get("/cases", service_code="missed-bin", limit=2,
                     cursor=first["next_cursor"]).json()
    assert [c["reference"] for c in second["cases"]] == refs[:1]
    assert second["next_cursor"] is None
    assert api.get("/cases", status="resolved").json()["cases"] == []
    long_ago = (timezone.now() - timedelta(days=30)).isoformat()
    assert len(api.get("/cases", team_code="waste-services",
                       received_from=long_ago).json()["cases"]) == 4
    assert api.get("/cases", received_to=long_ago).json()["cases"] == []
    assert len(api.get("/cases", updated_from=long_ago).json()["cases"]) == 4
    assert api.get("/cases", team_code="planning").json()["cases"] == []
    assert api.get("/cases", cursor="garbage").status_code == 422


def test_a_partner_moves_a_case_on_and_a_stale_version_is_a_conflict(api):
    case = api.post("/cases", BIN).json()
    ref = case["reference"]
    moved = api.post(f"/cases/{ref}/status", {"status": "in_progress", "expected_version": 1})
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    stale = api.post(f"/cases/{ref}/status", {"status": "waiting_on_customer",
                                              "expected_version": 1})
    assert stale.status_code == 409
    resolved = api.post(f"/cases/{ref}/status", {"status": "resolved", "outcome": "done",
                                                 "expected_version": moved.json()["version"]})
    assert resolved.status_code == 200 and resolved.json()["outcome"] == "done"


def test_resolving_without_an_outcome_is_refused(api):
    ref = api.post("/cases", BIN).json()["reference"]
    response = api.post(f"/cases/{ref}/status", {"status": "resolved", "expected_version": 1})
    assert response.status_code == 422 and _errors(response)[0]["field"] == "outcome"


def test_a_customer_update_is_sent_and_an_internal_note_is_not(api):
    customer = _customer(api)
    ref = api.post("/cases", {**BIN, "customer_id": customer["id"]}).json()["reference"]
    update = api.post(f"/cases/{ref}/messages", {"text": "Crew is on the way"})
    note = api.post(f"/cases/{ref}/messages", {"text": "Crew short-staffed",
                                               "customer_visible": False})
    assert update.status_code == note.status_code == 201
    assert update.json()["customer_visible"] and not note.json()["customer_visible"]
    events = Message.objects.filter(subject_id=ref).values_list("event", flat=True)
    assert sorted(events) == ["case_update", "contact_acknowledged"]


# --------------------------------------------------------------------- auth and errors


def test_a_key_without_cases_write_cannot_open_a_case(api_for):
    reader = api_for("cases:read")
    response = reader.post("/cases", BIN)
    assert response.status_code == 403
    assert "cases:write" in _errors(response)[0]["message"]
    assert not Case.objects.exists()


def test_no_key_or_a_revoked_key_is_unauthorised(api):
    assert Api401(api.get("/cases", headers={"Authorization": ""}))
    revoke_api_key(key=ApiKey.objects.get(), by=None, now=timezone.now())
    response = api.get("/cases")
    assert response.status_code == 401 and _errors(response)[0]["code"] == "revoked_key"


def Api401(response) -> bool:
    return response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_bad_input_gets_a_clear_error_body_never_a_server_error(api):
    not_json = api.client.post("/api/v1/cases", "{oops", content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {api.raw_key}")
    assert not_json.status_code == 400 and _errors(not_json)[0]["code"] == "bad_request"
    missing = api.post("/cases", {"title": "No service"})
    assert missing.status_code == 422
    assert _errors(missing)[0] == {"field": "service_code", "code": "missing",
                                   "message": "Field required"}
    unknown = api.post("/cases", {**BIN, "service_code": "no-such-thing"})
    assert unknown.status_code == 422 and _errors(unknown)[0]["code"] == "unknown"
    nul = api.post("/cases", {**BIN, "title": "bin\x00"})
    assert nul.status_code == 422
    assert api.get("/no/such/endpoint").status_code == 404


def test_going_over_the_rate_limit_gets_429_with_retry_after(api_for):
    api = api_for("services:read", rate_limit_per_minute=3)
    assert [api.get("/services").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/services")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert _errors(response)[0]["code"] == "rate_limited"


def test_signed_in_staff_use_the_api_with_their_own_permissions_and_csrf(council):
    agent = UserFactory(role="agent")
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    assert client.get("/api/v1/cases").status_code == 200
    refused = client.post("/api/v1/cases", BIN, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in _errors(refused)[0]["message"]
    client.get("/api/v1/services")  # no CSRF cookie from the API: take it from the session
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    opened = client.post("/api/v1/cases", BIN, content_type="application/json",
                         HTTP_X_CSRFTOKEN=token)
    assert opened.status_code == 201, opened.content
    assert Case.objects.get().created_by == agent


# -------------------------------------------------------------------------- idempotency


def test_a_retried_create_returns_the_first_result_and_creates_nothing_new(api):
    first = api.post("/cases", BIN, headers={"Idempotency-Key": "order-1"})
    again = api.post("/cases", BIN, headers={"Idempotency-Key": "order-1"})
    assert first.status_code == again.status_code == 201
    assert first.content == again.content
    assert Case.objects.count() == 1 and Contact.objects.count() == 1


def test_the_same_key_with_a_different_body_is_refused(api):
    api.post("/cases", BIN, headers={"Idempotency-Key": "order-2"})
    response = api.post("/cases", {**BIN, "title": "Something else"},
                        headers={"Idempotency-Key": "order-2"})
    assert response.status_code == 422
    assert _errors(response)[0] == {
        "field": "Idempotency-Key", "code": "reused",
        "message": response.json()["errors"][0]["message"]}
    assert Case.objects.count() == 1


def test_idempotency_keys_belong_to_one_client(api_for):
    one, two = api_for("cases:write"), api_for("cases:write")
    a = one.post("/cases", BIN, headers={"Idempotency-Key": "same"}).json()
    b = two.post("/cases", BIN, headers={"Idempotency-Key": "same"}).json()
    assert a["reference"] != b["reference"]


def test_every_create_honours_the_idempotency_key(api):
    customer = _customer(api)
    bodies = {
        "/customers": {"kind": "organisation", "organisation_name": "Acme"},
        "/contacts": {"channel": "email", "received_at": timezone.now().isoformat()},
        "/webhooks": {"url": "http://127.0.0.1:9/hook", "events": ["case.opened"]},
    }
    ref = api.post("/cases", {**BIN, "customer_id": customer["id"]}).json()["reference"]
    bodies[f"/cases/{ref}/messages"] = {"text": "Update"}
    for path, body in bodies.items():
        first = api.post(path, body, headers={"Idempotency-Key": f"k{path}"})
        again = api.post(path, body, headers={"Idempotency-Key": f"k{path}"})
        assert first.status_code == 201, (path, first.content)
        assert again.content == first.content, path
