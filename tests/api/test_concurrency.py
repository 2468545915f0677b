"""Concurrent retries of one create on PostgreSQL make exactly one case."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from frontdoor.cases.models import Case
from frontdoor.contacts.models import Contact
from frontdoor.notifications.models import WebhookDelivery

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BIN = {"service_code": "missed-bin", "title": "Bin not collected", "channel": "web_form"}


def test_concurrent_retries_with_one_idempotency_key_create_one_case(api):
    api.post("/webhooks", {"url": "https://partner.example/hook", "events": ["case.opened"]})
    barrier = threading.Barrier(6)
    results: list[tuple[int, bytes]] = []

    def retry() -> None:
        try:
            barrier.wait()
            response = api.post("/cases", BIN, headers={"Idempotency-Key": "storm"})
            results.append((response.status_code, response.content))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=retry) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6
    assert {status for status, _ in results} == {201}
    assert len({body for _, body in results}) == 1
    assert Case.objects.count() == 1 and Contact.objects.count() == 1
    assert WebhookDelivery.objects.count() == 1
