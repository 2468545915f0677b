"""Abandoned forms: one friendly reminder to a resident who gave an email, never two."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from frontdoor.cases.web_forms import send_abandoned_form_reminders
from frontdoor.catalogue.drafts import FormDraft
from frontdoor.council.config import CouncilConfig
from frontdoor.notifications.models import Message
from tests.portal.form_helpers import (
    ABOUT_ME,
    Clock,
    clock_fixture,  # noqa: F401  (the "clock" fixture)
)

pytestmark = pytest.mark.django_db
BASE = "/services/missed-bin/missed-bin"


def _start_and_leave(client: Client, details: dict[str, str] = ABOUT_ME) -> None:
    client.get(f"{BASE}/start/")
    client.post(f"{BASE}/about-you/", details)
    client.post(f"{BASE}/address/", {"address-line1": "1 Holt Road",
                                     "address-postcode": "NR27 9EN"})


def test_an_unfinished_form_gets_one_reminder_with_a_link_to_carry_on(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    started = clock("2026-01-05T10:00:00+00:00")
    _start_and_leave(client)
    assert send_abandoned_form_reminders(now=started + timedelta(hours=23)) == 0
    assert send_abandoned_form_reminders(now=started + timedelta(hours=25)) == 1
    assert send_abandoned_form_reminders(now=started + timedelta(hours=49)) == 0
    message = Message.objects.get(event="form_reminder")
    assert "Report a missed bin collection" in message.body
    assert "01263 513811" in message.body  # how to get help instead
    token = FormDraft.objects.get().token
    assert f"/services/missed-bin/missed-bin/resume/{token}/" in message.body

    other = Client()
    response = other.get(f"{BASE}/resume/{token}/")
    assert response["Location"].endswith("/bin/")  # the address was kept
    assert "1 Holt Road" in other.get(f"{BASE}/address/").content.decode()


def test_no_reminder_without_an_email_or_once_the_form_is_sent(
    client: Client, north_norfolk: CouncilConfig, clock: Clock
) -> None:
    started = clock("2026-01-05T10:00:00+00:00")
    _start_and_leave(Client(), {"full_name": "No Email", "email": "", "phone": ""})
    _start_and_leave(client)
    client.post(f"{BASE}/bin/", {"bin_type": "general"})
    client.post(f"{BASE}/day/", {"collection_date-day": "5", "collection_date-month": "1",
                                 "collection_date-year": "2026", "put_out": "yes"})
    client.post(f"{BASE}/check/")
    assert FormDraft.objects.get().submitted_at is not None
    assert send_abandoned_form_reminders(now=started + timedelta(days=2)) == 0


def test_the_reminder_task_is_registered_to_run_periodically() -> None:
    paths = [path for path, _ in settings.FRONTDOOR_PERIODIC_TASKS]
    assert "frontdoor.cases.web_forms.send_abandoned_form_reminders_task" in paths
