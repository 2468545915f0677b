"""Partners hear of case events once each, whichever channel made the change."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frontdoor.accounts.actions import create_api_key
from frontdoor.cases.actions import change_status, resolve_case
from frontdoor.cases.models import EventKind
from frontdoor.cases.open311_sync import (
    ClientUpdate,
    StreetReport,
    open_street_report,
    record_client_update,
)
from frontdoor.notifications.models import WebhookDelivery
from frontdoor.notifications.webhooks import subscribe_webhook
from tests.cases.factories import open_waste_case

pytestmark = pytest.mark.django_db


def test_a_status_change_in_the_console_queues_one_delivery_for_a_subscriber(
    council, officer, now: datetime
):
    case = open_waste_case(by=officer, now=now)
    subscribe_webhook(client="partner", url="https://partner.example/hook",
                      events=["case.status_changed"], now=now)

    later = now + timedelta(hours=1)
    change_status(case=case, status="in_progress", by=officer, now=later,
                  expected_version=case.version)

    delivery = WebhookDelivery.objects.get()
    changed = case.events.get(kind=EventKind.STATUS_CHANGED)
    assert delivery.event == "case.status_changed"
    assert delivery.event_key == f"case.status_changed:{changed.pk}"
    assert delivery.payload["data"]["reference"] == case.reference
    assert delivery.payload["data"]["status"] == "in_progress"


def test_a_case_opened_through_open311_queues_one_delivery_even_when_retried(
    council, now: datetime
):
    client, _raw = create_api_key(name="fixmystreet", scopes=["open311"], by=None, now=now)
    subscribe_webhook(client="partner", url="https://partner.example/hook",
                      events=["case.opened"], now=now)
    report = StreetReport(service_code="fly-tipping", latitude="52.93", longitude="1.30",
                          description="Bags by the bins", attributes={"fixmystreet_id": "42"})

    case = open_street_report(report=report, client=client, now=now)
    again = open_street_report(report=report, client=client, now=now + timedelta(minutes=1))

    assert again.pk == case.pk
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "case.opened"
    assert delivery.event_key == f"case.opened:{case.events.get(kind=EventKind.OPENED).pk}"
    assert delivery.payload["data"]["reference"] == case.reference


def test_a_fixmystreet_update_resolving_the_report_tells_subscribers_it_changed_and_resolved(
    council, now: datetime
):
    client, _raw = create_api_key(name="fixmystreet", scopes=["open311"], by=None, now=now)
    report = StreetReport(service_code="fly-tipping", latitude="52.93", longitude="1.30",
                          description="Bags by the bins")
    case = open_street_report(report=report, client=client, now=now)
    subscribe_webhook(client="partner", url="https://partner.example/hook",
                      events=["case.status_changed", "case.resolved"], now=now)

    record_client_update(
        update=ClientUpdate(service_request_id=case.reference, update_id="7", status="FIXED",
                            updated_at=now, description="Cleared", resolve_with="done"),
        client=client, now=now + timedelta(hours=1))

    assert sorted(WebhookDelivery.objects.values_list("event", flat=True)) == [
        "case.resolved", "case.status_changed"]


def test_nothing_is_queued_for_an_event_nobody_subscribed_to(council, officer, now: datetime):
    case = open_waste_case(by=officer, now=now)
    subscribe_webhook(client="partner", url="https://partner.example/hook",
                      events=["case.resolved"], now=now)

    case = change_status(case=case, status="in_progress", by=officer, now=now,
                         expected_version=case.version)

    assert not WebhookDelivery.objects.exists()
    resolve_case(case=case, outcome="done", note="Cleared", by=officer, now=now,
                 expected_version=case.version)
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["case.resolved"]
