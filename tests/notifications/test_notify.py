"""GOV.UK Notify: email and text messages, retries, lookups after a lost answer, receipts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import include, path

from frontdoor.notifications import actions, queries
from frontdoor.notifications.models import Message, Status
from frontdoor.notifications.recipients import Recipient
from tests.notifications.conftest import ACK_DATA

pytestmark = pytest.mark.django_db


def _queue(recipient: Recipient, now, key: str = "ack:NN-2026-000123") -> Message:
    [message] = actions.queue_message(
        event="contact_acknowledged", recipient=recipient, data=ACK_DATA,
        idempotency_key=key, subject_ref=("case", "NN-2026-000123"), now=now,
    )
    return message


@pytest.fixture
def by_notify(council_notifications):
    return council_notifications(email_provider="notify", sms_provider="notify")


def test_email_by_notify_carries_the_idempotency_key_as_its_reference(ann, now, notify, by_notify):
    message = _queue(ann, now)
    actions.send_message(message_id=message.pk, now=now)
    message.refresh_from_db()
    [sent] = notify.state.notifications
    assert (message.status, message.provider) == (Status.SENT, "notify")
    assert sent["reference"] == "ack:NN-2026-000123"
    assert sent["email_address"] == "ann.smith@example.com"
    assert sent["personalisation"]["subject"] == "We have your request NN-2026-000123"
    assert message.provider_reference == sent["id"]


def test_text_message_by_notify_after_notify_fails_for_a_while(now, notify, by_notify):
    sam = Recipient(name="Sam", phone_e164="+447400123456", preferred_channel="sms",
                    sms_quiet_hours_ok=True)
    message = _queue(sam, now)
    notify.state.fail_with_500 = 3
    at = now
    for _ in range(3):
        actions.send_message(message_id=message.pk, now=at)
        message.refresh_from_db()
        assert message.status == Status.FAILED and "500" in message.last_error
        at = message.next_attempt_at
    actions.send_message(message_id=message.pk, now=at)
    message.refresh_from_db()
    [sent] = notify.state.notifications
    assert message.status == Status.SENT
    assert sent["phone_number"] == "+447400123456"
    assert "NN-2026-000123" in sent["personalisation"]["body"]


def test_an_address_notify_rejects_fails_permanently_and_is_shown_to_staff(now, notify, by_notify):
    bad = Recipient(name="Bad", email="not-an-email")
    message = _queue(bad, now)
    actions.send_message(message_id=message.pk, now=now)
    message.refresh_from_db()
    assert message.status == Status.PERMANENTLY_FAILED
    assert "400" in message.last_error
    assert list(queries.messages_needing_attention()) == [message]


def test_a_lost_answer_from_notify_is_looked_up_not_sent_twice(ann, now, notify, by_notify):
    message = _queue(ann, now)
    notify.state.hang_up_after_accepting = 1
    actions.send_message(message_id=message.pk, now=now)
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.outcome_uncertain
    actions.send_message(message_id=message.pk, now=message.next_attempt_at)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(notify.state.notifications) == 1
    assert message.provider_reference == notify.state.notifications[0]["id"]
    assert ("GET", "/v2/notifications?reference=ack%3ANN-2026-000123") in notify.state.requests


def test_a_worker_that_died_before_notify_had_it_is_resent_once(ann, now, notify, by_notify):
    message = _queue(ann, now)
    assert actions._claim(message.pk, now, by_notify) is not None  # the worker then died
    later = now + actions.SENDING_LEASE + timedelta(seconds=1)
    assert actions.recover_stuck_messages(now=later) == {"sent": 0, "resend": 1, "unknown": 0}
    actions.send_due_messages(now=later)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(notify.state.notifications) == 1


def test_delivery_receipts_move_the_message_to_delivered_or_failed(ann, now, notify, by_notify):
    first = _queue(ann, now, key="k1")
    second = _queue(ann, now, key="k2")
    actions.send_due_messages(now=now)
    first.refresh_from_db()
    second.refresh_from_db()
    actions.record_delivery_receipt(
        provider_reference=first.provider_reference, status="delivered", at=now
    )
    actions.record_delivery_receipt(
        provider_reference=second.provider_reference, status="permanent-failure", at=now
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert [h.status for h in first.history.all()] == ["queued", "sending", "sent", "delivered"]
    assert second.status == Status.PERMANENTLY_FAILED
    assert list(queries.messages_needing_attention()) == [second]


urlpatterns = [path("api/notify/callback", include("frontdoor.api.notify_callbacks"))]


@override_settings(ROOT_URLCONF=__name__)
def test_notify_callback_needs_the_token_and_records_delivery(ann, now, notify, by_notify,
                                                              monkeypatch):
    monkeypatch.setenv("FRONTDOOR_NOTIFY_CALLBACK_TOKEN", "s3cret-token-for-callbacks")
    message = _queue(ann, now)
    actions.send_message(message_id=message.pk, now=now)
    message.refresh_from_db()
    body = json.dumps({"id": message.provider_reference, "reference": message.idempotency_key,
                       "status": "delivered", "completed_at": "2026-01-05T10:01:00.000000Z",
                       "notification_type": "email"})
    client = Client()
    refused = client.post("/api/notify/callback", body, content_type="application/json",
                          headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 401
    ok = client.post("/api/notify/callback", body, content_type="application/json",
                     headers={"Authorization": "Bearer s3cret-token-for-callbacks"})
    assert ok.status_code == 200
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
