"""Webhooks: partner systems subscribe a URL to case events; deliveries are an outbox.

`queue_webhook_deliveries(event=, payload=, now=)` is called inside the transaction of the
change it reports, so a rolled-back change sends nothing and a committed one is never lost.
A task sends each delivery (POST, JSON, signed), retrying with the outbox's backoff (1 minute
doubling to 6 hours, jittered) and giving up after 72 hours; every status change is recorded.

Signature: `X-FrontDoor-Signature: t=<unix seconds>,v1=<hex>` where hex is
HMAC-SHA256(secret, f"{t}.{raw body}"). Receivers should also reject old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlparse

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.core.time import require_aware
from frontdoor.notifications.models import (
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookDeliveryStatusChange,
    WebhookSubscription,
)

log = logging.getLogger(__name__)

WEBHOOK_EVENTS: tuple[str, ...] = (
    "case.opened",
    "case.status_changed",
    "case.resolved",
    "case.message",
)
RETRY_FIRST = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=6)
RETRY_HORIZON = timedelta(hours=72)
SENDING_LEASE = timedelta(minutes=5)
TIMEOUT_SECONDS = 10
MAX_SUBSCRIPTIONS_PER_CLIENT = 20
_CLAIMABLE = (WebhookDeliveryStatus.QUEUED, WebhookDeliveryStatus.FAILED)


# ---------------------------------------------------------------------------- subscribing


def subscribe_webhook(
    *, client: str, url: str, events: list[str], now: datetime
) -> WebhookSubscription:
    """Subscribe `url` to `events` for the API client; the returned row carries its secret."""
    require_aware(now)
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInput("url", "invalid", "Give an http:// or https:// URL")
    unknown = sorted(set(events) - set(WEBHOOK_EVENTS))
    if unknown:
        known = ", ".join(WEBHOOK_EVENTS)
        raise InvalidInput("events", "invalid", f"Unknown event {unknown[0]!r} (known: {known})")
    if not events:
        raise InvalidInput("events", "required", "Choose at least one event")
    if webhooks_of(client).count() >= MAX_SUBSCRIPTIONS_PER_CLIENT:
        raise InvalidInput(
            "url", "too_many", f"An API client may have {MAX_SUBSCRIPTIONS_PER_CLIENT} webhooks"
        )
    return WebhookSubscription.objects.create(
        client=client,
        url=url.strip(),
        events=list(dict.fromkeys(events)),
        secret="whsec_" + secrets.token_urlsafe(32),
        created_at=now,
    )


def delete_webhook(*, client: str, subscription_id: int, now: datetime) -> None:
    """Stop sending to the subscription (deliveries already queued are not sent either)."""
    with transaction.atomic():
        subscription = webhooks_of(client).select_for_update().filter(pk=subscription_id).first()
        if subscription is None:
            raise NotFound(f"There is no webhook {subscription_id}", field="webhook_id")
        WebhookSubscription.objects.filter(pk=subscription.pk).update(deleted_at=now)
        for delivery in subscription.deliveries.filter(status__in=_CLAIMABLE):
            _set_status(delivery, WebhookDeliveryStatus.GAVE_UP, now, "webhook deleted")


def webhooks_of(client: str) -> QuerySet[WebhookSubscription]:
    """The client's live subscriptions, oldest first."""
    return WebhookSubscription.objects.filter(client=client, deleted_at__isnull=True).order_by(
        "id"
    )


def deliveries_of(subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    """A subscription's deliveries with their status history, newest first."""
    return subscription.deliveries.prefetch_related("status_changes").order_by("-id")


# -------------------------------------------------------------------------------- queuing


def queue_webhook_deliveries(
    *, event: str, payload: dict[str, Any], now: datetime, event_key: str
) -> list[WebhookDelivery]:
    """Write one delivery per subscription to `event`, in the caller's transaction.

    `event_key` names the happening ("case.opened:NN-2026-000001"): the same key again writes
    nothing, so a retried request cannot notify twice.
    """
    require_aware(now)
    if event not in WEBHOOK_EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(deleted_at__isnull=True) if event in s.events
    ]
    if not subscriptions:
        return []
    body = json.loads(json.dumps(
        {"event": event, "occurred_at": now, "data": payload}, cls=DjangoJSONEncoder
    ))
    created: list[WebhookDelivery] = []
    for subscription in subscriptions:
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    subscription=subscription,
                    event=event,
                    event_key=event_key,
                    payload=body,
                    created_at=now,
                    next_attempt_at=now,
                )
                WebhookDeliveryStatusChange.objects.create(
                    delivery=delivery, status=WebhookDeliveryStatus.QUEUED, at=now
                )
        except IntegrityError:
            continue  # already queued for this happening
        created.append(delivery)
        transaction.on_commit(partial(enqueue_webhook_send, delivery.pk))
    return created


def enqueue_webhook_send(delivery_id: int, run_after: datetime | None = None) -> None:
    """Ask a worker to send the delivery; the periodic sweep is the backstop."""
    try:
        chosen = send_webhook_task.using(run_after=run_after) if run_after else send_webhook_task
        chosen.enqueue(delivery_id)
    except Exception:
        log.warning("could not enqueue webhook delivery %s; the sweep will send it", delivery_id,
                    exc_info=True)


# -------------------------------------------------------------------------------- sending


def sign_payload(*, secret: str, body: bytes, timestamp: int) -> str:
    """The X-FrontDoor-Signature header value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify_signature(*, secret: str, body: bytes, header: str, now: datetime,
                     tolerance: timedelta = timedelta(minutes=5)) -> bool:
    """Whether `header` signs `body` with `secret` and is recent (what a receiver checks)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(now.timestamp() - timestamp) > tolerance.total_seconds():
        return False
    expected = sign_payload(secret=secret, body=body, timestamp=timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def retry_delay(delivery: WebhookDelivery) -> timedelta:
    """Exponential backoff (1 min doubling to 6 h) with a stable jitter that spreads a burst."""
    base = min(RETRY_FIRST * (2 ** max(delivery.attempts - 1, 0)), RETRY_CAP)
    digest = hashlib.sha256(f"webhook:{delivery.pk}:{delivery.attempts}".encode()).digest()
    return base * (0.5 + digest[0] / 510)


def send_webhook_delivery(*, delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Send one due delivery (None if it is not due or another worker has it)."""
    require_aware(now)
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    subscription = delivery.subscription
    body = json.dumps({"id": delivery.pk, **delivery.payload}, separators=(",", ":")).encode()
    request = urllib.request.Request(
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "FrontDoor-Webhooks/1",
            "X-FrontDoor-Event": delivery.event,
            "X-FrontDoor-Delivery": str(delivery.pk),
            "X-FrontDoor-Signature": sign_payload(
                secret=subscription.secret, body=body, timestamp=int(now.timestamp())
            ),
        },
    )
    status: int | None = None
    error = ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    _record_attempt(delivery, status=status, error=error, now=now)
    return delivery


def _locked(queryset: Any) -> Any:
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset  # SQLite: the IMMEDIATE transaction already holds the write lock


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = _locked(
            WebhookDelivery.objects.select_related("subscription").filter(
                pk=delivery_id, status__in=_CLAIMABLE, next_attempt_at__lte=now
            )
        ).first()
        if delivery is None:
            return None
        if delivery.subscription.deleted_at is not None:
            _set_status(delivery, WebhookDeliveryStatus.GAVE_UP, now, "webhook deleted")
            return None
        delivery.attempts += 1
        delivery.sending_started_at = now
        _set_status(delivery, WebhookDeliveryStatus.SENDING, now, f"attempt {delivery.attempts}")
    return delivery


def _record_attempt(
    delivery: WebhookDelivery, *, status: int | None, error: str, now: datetime
) -> None:
    delivery.last_response_status = status
    delivery.last_error = error[:2000]
    if status is not None and 200 <= status < 300:
        delivery.delivered_at = now
        _set_status(delivery, WebhookDeliveryStatus.DELIVERED, now, f"HTTP {status}")
        return
    detail = error or f"HTTP {status}"
    if now - delivery.created_at >= RETRY_HORIZON:
        _set_status(delivery, WebhookDeliveryStatus.GAVE_UP, now,
                    f"{detail}; no success in {RETRY_HORIZON}")
        return
    delivery.next_attempt_at = now + retry_delay(delivery)
    _set_status(delivery, WebhookDeliveryStatus.FAILED, now, detail)
    enqueue_webhook_send(delivery.pk, run_after=delivery.next_attempt_at)


def _set_status(delivery: WebhookDelivery, status: str, at: datetime, detail: str = "") -> None:
    delivery.status = status
    delivery.save()
    WebhookDeliveryStatusChange.objects.create(
        delivery=delivery, status=status, at=at, detail=detail[:2000]
    )


def sweep_webhooks(*, now: datetime, limit: int = 500) -> dict[str, int]:
    """Send due deliveries and release ones a dead worker left "sending"; counts by status."""
    require_aware(now)
    stuck = WebhookDelivery.objects.filter(
        status=WebhookDeliveryStatus.SENDING, sending_started_at__lte=now - SENDING_LEASE
    )
    counts: dict[str, int] = {"released": 0}
    for delivery in stuck:
        # A receiver must accept a repeat (X-FrontDoor-Delivery is the same): at least once.
        delivery.next_attempt_at = now
        _set_status(delivery, WebhookDeliveryStatus.FAILED, now, "worker stopped; will resend")
        counts["released"] += 1
    due = list(
        WebhookDelivery.objects.filter(status__in=_CLAIMABLE, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    for delivery_id in due:
        sent = send_webhook_delivery(delivery_id=delivery_id, now=now)
        if sent is not None:
            counts[sent.status] = counts.get(sent.status, 0) + 1
    return counts


# ---------------------------------------------------------------------------------- tasks


@task()
def send_webhook_task(delivery_id: int) -> str:
    delivery = send_webhook_delivery(delivery_id=delivery_id, now=timezone.now())
    return delivery.status if delivery is not None else "not due or already taken"


@task()
def sweep_webhooks_task() -> dict[str, int]:
    return sweep_webhooks(now=timezone.now())
