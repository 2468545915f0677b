"""Webhooks: partners hear about case events, signed, and deliveries survive their outages."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from frontdoor.notifications.models import WebhookDelivery
from frontdoor.notifications.webhooks import (
    RETRY_HORIZON,
    send_webhook_delivery,
    sweep_webhooks,
    verify_signature,
)

pytestmark = pytest.mark.django_db

BIN = {"service_code": "missed-bin", "title": "Bin not collected", "channel": "web_form"}


class Receiver:
    """A partner's endpoint on 127.0.0.1 that answers 503 `fail_first` times, then 200."""

    def __init__(self, fail_first: int) -> None:
        self.fail_first = fail_first
        self.received: list[tuple[Any, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((self.headers, body))
                self.send_response(503 if len(outer.received) <= outer.fail_first else 200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/frontdoor"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made: list[Receiver] = []

    def make(fail_first: int = 0) -> Receiver:
        made.append(Receiver(fail_first))
        return made[-1]

    yield make
    for r in made:
        r.close()


def _subscribe(api, url: str, events: list[str]) -> dict:
    response = api.post("/webhooks", {"url": url, "events": events})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_partner_subscribes_lists_and_deletes_webhooks(api, api_for):
    hook = _subscribe(api, "https://partner.example/hook", ["case.opened"])
    assert hook["secret"].startswith("whsec_")
    assert [h["id"] for h in api.get("/webhooks").json()] == [hook["id"]]
    assert "secret" not in api.get("/webhooks").json()[0]
    other = api_for("webhooks")
    assert other.get("/webhooks").json() == []
    assert other.delete(f"/webhooks/{hook['id']}").status_code == 404
    assert api.delete(f"/webhooks/{hook['id']}").status_code == 204
    assert api.get("/webhooks").json() == []


def test_a_webhook_for_an_unknown_event_or_a_non_http_url_is_refused(api):
    assert api.post("/webhooks", {"url": "ftp://x.example/", "events": ["case.opened"]}
                    ).status_code == 422
    assert api.post("/webhooks", {"url": "https://x.example/", "events": ["case.deleted"]}
                    ).status_code == 422


def test_a_delivery_is_retried_with_backoff_until_the_partner_is_back_and_is_signed(
    api, receiver
):
    partner = receiver(fail_first=2)
    hook = _subscribe(api, partner.url, ["case.opened", "case.status_changed"])
    case = api.post("/cases", BIN).json()
    delivery = WebhookDelivery.objects.get(event="case.opened")

    now = timezone.now()
    send_webhook_delivery(delivery_id=delivery.pk, now=now)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.last_response_status == 503
    first_wait = delivery.next_attempt_at - now
    assert timedelta(seconds=30) <= first_wait <= timedelta(minutes=1)
    assert send_webhook_delivery(delivery_id=delivery.pk, now=now) is None  # not due yet

    later = delivery.next_attempt_at
    sweep_webhooks(now=later)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 2
    assert delivery.next_attempt_at - later > first_wait  # the wait grows

    sweep_webhooks(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 3
    history = list(delivery.status_changes.values_list("status", flat=True))
    assert history == ["queued", "sending", "failed", "sending", "failed", "sending",
                       "delivered"]

    headers, body = partner.received[-1]
    assert headers["X-FrontDoor-Event"] == "case.opened"
    assert verify_signature(secret=hook["secret"], body=body,
                            header=headers["X-FrontDoor-Signature"],
                            now=delivery.delivered_at)
    assert not verify_signature(secret="whsec_wrong", body=body,
                                header=headers["X-FrontDoor-Signature"],
                                now=delivery.delivered_at)
    assert not verify_signature(secret=hook["secret"], body=body.replace(b"new", b"old"),
                                header=headers["X-FrontDoor-Signature"],
                                now=delivery.delivered_at)
    payload = json.loads(body)
    assert payload["event"] == "case.opened" and payload["data"]["reference"] == case["reference"]


def test_status_changes_resolutions_and_messages_reach_subscribers(api):
    _subscribe(api, "https://partner.example/hook",
               ["case.status_changed", "case.resolved", "case.message"])
    ref = api.post("/cases", BIN).json()["reference"]
    api.post(f"/cases/{ref}/messages", {"text": "On our way"})
    api.post(f"/cases/{ref}/messages", {"text": "staff only", "customer_visible": False})
    api.post(f"/cases/{ref}/status", {"status": "resolved", "outcome": "done",
                                      "expected_version": 1})
    events = sorted(WebhookDelivery.objects.values_list("event", flat=True))
    assert events == ["case.message", "case.resolved", "case.status_changed"]


def test_a_retried_create_does_not_notify_twice(api):
    _subscribe(api, "https://partner.example/hook", ["case.opened"])
    for _ in range(2):
        api.post("/cases", BIN, headers={"Idempotency-Key": "once"})
    assert WebhookDelivery.objects.count() == 1


def test_a_partner_down_for_three_days_is_given_up_on(api, receiver):
    partner = receiver(fail_first=10**6)
    _subscribe(api, partner.url, ["case.opened"])
    api.post("/cases", BIN)
    delivery = WebhookDelivery.objects.get()
    send_webhook_delivery(delivery_id=delivery.pk, now=delivery.created_at)
    send_webhook_delivery(delivery_id=delivery.pk,
                          now=delivery.created_at + RETRY_HORIZON + timedelta(minutes=1))
    delivery.refresh_from_db()
    assert delivery.status == "gave_up" and "no success" in delivery.status_changes.last().detail


def test_a_case_opened_but_rolled_back_sends_nothing(api):
    _subscribe(api, "https://partner.example/hook", ["case.opened"])
    assert api.post("/cases", {**BIN, "service_code": "no-such-service"}).status_code == 422
    assert not WebhookDelivery.objects.exists()
