"""servicerequestupdates both ways, and the round trip through a case officer's work."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from frontdoor.cases.actions import (
    add_customer_update,
    add_internal_note,
    assign_case,
    change_status,
    resolve_case,
)
from frontdoor.cases.models import Case, CaseEvent
from tests.open311.conftest import BASE, errors_of, json_of, xml_of
from tests.open311.test_requests import FORM, fms_report

WINDOW = "start_date=2026-01-05T09:00:00Z&end_date=2026-01-06T12:00:00Z"


def report(client, key) -> Case:
    response = client.post(BASE + "requests.xml", urlencode(fms_report(key)), content_type=FORM)
    return Case.objects.get(reference=xml_of(response).findtext("request/service_request_id"))


def fms_update(key, case, **extra):
    """What FixMyStreet posts for a comment (_populate_service_request_update_params)."""
    body = {"api_key": key, "jurisdiction_id": "north-norfolk.gov.uk",
            "service_request_id": case.reference, "update_id": "901", "status": "OPEN",
            "updated_datetime": "2026-01-05T10:30:00+00:00",
            "description": "It is still there\r\nand smells", "first_name": "Jo",
            "last_name": "-", "email": "jo@example.com", **extra}
    return urlencode(body)


def test_round_trip_a_report_worked_by_an_officer_reads_back_as_requests_and_updates(
    client, council, api_key, officer, now, clock
):
    case = report(client, api_key)
    assign_case(case=case, owner=officer, by=officer, now=now + timedelta(minutes=10),
                expected_version=case.version)
    change_status(case=case, status="in_progress", by=officer, now=now + timedelta(minutes=20),
                  expected_version=case.version)
    add_internal_note(case=case, text="Private: ask the landowner", by=officer,
                      now=now + timedelta(minutes=25))
    add_customer_update(case=case, text="We will clear it on Wednesday", by=officer,
                        now=now + timedelta(minutes=30))
    resolve_case(case=case, outcome="done", note="Cleared", by=officer,
                 now=now + timedelta(hours=1, microseconds=5), expected_version=case.version)
    clock.move_to(now + timedelta(hours=2))

    request = xml_of(client.get(f"{BASE}requests/{case.reference}.xml")).find("request")
    assert request.findtext("status") == "closed"
    assert request.findtext("updated_datetime") == "2026-01-05T11:00:00+00:00"
    assert request.findtext("status_notes") == "Resolved: Done. Cleared."

    root = xml_of(client.get(f"{BASE}servicerequestupdates.xml?{WINDOW}&api_key="))
    assert root.tag == "service_request_updates"
    updates = root.findall("request_update")
    got = [(u.findtext("status"), u.findtext("external_status_code"), u.findtext("description"))
           for u in updates]
    assert got == [
        ("in_progress", "in_progress", "In progress"),
        ("in_progress", "in_progress", "We will clear it on Wednesday"),
        ("fixed", "resolved_done", "Resolved: Done. Cleared."),
    ]
    assert all(u.findtext("service_request_id") == case.reference for u in updates)
    assert all(u.findtext("fixmystreet_id") == "42" for u in updates)
    assert [u.findtext("updated_datetime") for u in updates] == [
        "2026-01-05T10:20:00+00:00", "2026-01-05T10:30:00+00:00", "2026-01-05T11:00:00+00:00"]
    visible = CaseEvent.objects.filter(case=case, kind__in=["status_changed", "message_sent",
                                                              "resolved"]).order_by("at", "id")
    assert [u.findtext("update_id") for u in updates] == [str(e.pk) for e in visible]
    body = json_of(client.get(f"{BASE}servicerequestupdates.json?{WINDOW}"))
    assert [u["update_id"] for u in body] == [u.findtext("update_id") for u in updates]
    assert "Private" not in client.get(f"{BASE}servicerequestupdates.xml?{WINDOW}").content.decode()


def test_updates_are_filtered_on_their_own_time_within_the_window(
    client, council, api_key, officer, now, clock
):
    case = report(client, api_key)
    for minutes in (0, 60, 120):
        add_customer_update(case=case, text=f"At +{minutes}", by=officer,
                            now=now + timedelta(minutes=minutes))
    query = "start_date=2026-01-05T11:00:00Z&end_date=2026-01-05T11:59:59Z"
    root = xml_of(client.get(f"{BASE}servicerequestupdates.xml?{query}"))
    assert [u.findtext("description") for u in root.findall("request_update")] == ["At +60"]
    none = "start_date=2026-01-04T00:00:00Z&end_date=2026-01-04T01:00:00Z"
    empty = xml_of(client.get(f"{BASE}servicerequestupdates.xml?{none}"))
    assert empty.findall("request_update") == []
    assert client.get(f"{BASE}servicerequestupdates.xml?start_date=soon").status_code == 400


def test_a_client_update_is_recorded_and_its_id_returned_once(client, council, api_key, clock):
    case = report(client, api_key)
    response = client.post(BASE + "servicerequestupdates.xml", fms_update(api_key, case),
                           content_type=FORM)
    assert response.status_code == 200
    update_id = xml_of(response).findtext("request_update/update_id")
    event = CaseEvent.objects.get(pk=int(update_id))
    assert event.case == case and event.customer_visible
    assert event.summary == "It is still there\nand smells"
    assert event.data["client_update_id"] == "901"
    assert event.data["updated_datetime"] == "2026-01-05T10:30:00+00:00"
    again = client.post(BASE + "servicerequestupdates.json", fms_update(api_key, case),
                        content_type=FORM)
    assert json_of(again) == [{"update_id": update_id}]
    case.refresh_from_db()
    assert case.status == "new"  # OPEN records the comment only
    # Not echoed back to the client that sent it.
    feed = xml_of(client.get(f"{BASE}servicerequestupdates.xml?{WINDOW}"))
    assert feed.findall("request_update") == []


def test_uppercase_fixed_resolves_and_reopen_reopens(client, council, api_key, clock):
    case = report(client, api_key)
    fixed = fms_update(api_key, case, status="FIXED", update_id="902",
                       updated_datetime="2026-07-05T11:30:00+01:00")
    assert client.post(BASE + "servicerequestupdates.xml", fixed,
                       content_type=FORM).status_code == 200
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("resolved", "done")
    reopen = fms_update(api_key, case, status="REOPEN", update_id="903")
    assert client.post(BASE + "servicerequestupdates.xml", reopen,
                       content_type=FORM).status_code == 200
    case.refresh_from_db()
    assert case.status == "in_progress" and case.outcome == ""
    request = xml_of(client.get(f"{BASE}requests/{case.reference}.xml")).find("request")
    assert request.findtext("status") == "open"


def test_client_update_errors(client, council, api_key, clock):
    case = report(client, api_key)
    url = BASE + "servicerequestupdates.xml"
    cases = [
        (fms_update("", case), 403),
        (fms_update("wrong", case), 403),
        (fms_update(api_key, case, status="SOMETHING_ELSE"), 400),
        (fms_update(api_key, case, updated_datetime="last tuesday"), 400),
        (fms_update(api_key, case, updated_datetime=""), 400),
        (fms_update(api_key, case, update_id=""), 400),
        (fms_update(api_key, case, service_request_id="NN-2026-999999"), 404),
        (fms_update(api_key, case, jurisdiction_id="elsewhere.gov.uk"), 404),
    ]
    for body, status in cases:
        response = client.post(url, body, content_type=FORM)
        assert response.status_code == status, body
        assert errors_of(response)[0][0] == str(status)
    assert not CaseEvent.objects.filter(kind="information_added", case=case,
                                        data__has_key="client_update_id").exists()
