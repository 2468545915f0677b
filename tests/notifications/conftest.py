from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django_tasks import default_task_backend

from frontdoor.council.config import Notifications
from frontdoor.notifications import actions
from frontdoor.notifications.recipients import Formats, Recipient
from tests.notifications.standins import API_KEY, NotifyStandIn, SmtpStandIn


@pytest.fixture(autouse=True)
def dummy_tasks(settings: Any) -> Iterator[Any]:
    """Tasks are recorded, not run: tests call the send step themselves."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }
    default_task_backend.clear()  # type: ignore[attr-defined]
    yield default_task_backend
    if hasattr(default_task_backend, "clear"):  # a test may have switched to another backend
        default_task_backend.clear()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpStandIn]:
    server = SmtpStandIn.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 10
    yield server
    server.stop()


@pytest.fixture
def notify(monkeypatch: pytest.MonkeyPatch) -> Iterator[NotifyStandIn]:
    server = NotifyStandIn.start()
    monkeypatch.setenv("FRONTDOOR_NOTIFY_API_KEY", API_KEY)
    monkeypatch.setenv("FRONTDOOR_NOTIFY_BASE_URL", server.base_url)
    monkeypatch.setenv("FRONTDOOR_NOTIFY_EMAIL_TEMPLATE_ID", "f33517ff-2a88-4f6e-b855-c550268ce08a")
    monkeypatch.setenv("FRONTDOOR_NOTIFY_SMS_TEMPLATE_ID", "8f9ff4a1-7eb9-4a58-a5d0-3f0a6f1d1a2b")
    yield server
    server.stop()


@pytest.fixture
def council_notifications(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the council's [notifications] section for a test."""

    def use(**overrides: Any) -> Notifications:
        config = Notifications(**overrides)
        monkeypatch.setattr(actions, "notification_settings", lambda: config)
        return config

    return use


@pytest.fixture
def ann() -> Recipient:
    return Recipient(
        name="Ann Smith",
        email="ann.smith@example.com",
        phone_e164="+447400123456",
        address_lines=("12 Church Street", "Cromer", "NR27 9ER"),
        preferred_channel="email",
        formats=Formats(),
    )


ACK_DATA = {
    "reference": "NN-2026-000123",
    "service_name": "Report a missed bin collection",
    "what_happens_next": "Our waste team will look at your report.",
    "due_date": __import__("datetime").date(2026, 1, 12),
}
