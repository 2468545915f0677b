"""Helpers for the online-form tests: a fixed clock for views and a way through a form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

Clock = Callable[[str], datetime]


@pytest.fixture(name="clock")
def clock_fixture(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """`clock("2026-01-10T20:00:00+00:00")` makes the views' timezone.now() return that."""

    def set_to(iso: str) -> datetime:
        moment = datetime.fromisoformat(iso)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    set_to("2026-01-05T10:00:00+00:00")  # Monday morning, offices open
    return set_to


def small_jpeg(colour: str = "green") -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, "JPEG")
    return buffer.getvalue()


ABOUT_ME = {"full_name": "Ada Lovelace", "email": "ada@example.com", "phone": "07400 123456"}
FLY_TIP_PLACE = {"location-description": "Behind Cromer library, Canadas Lane",
                 "location-latitude": "52.931200", "location-longitude": "1.301100"}
FLY_TIP_WHAT = {"details": "Six black bags and a mattress", "amount": "car"}


def post(client: Client, url: str, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(url, data, **extra)


def report_fly_tipping(client: Client, *, place: dict[str, str] | None = None,
                       photo: bytes | None = None) -> Any:
    """A guest goes through the fly-tipping form up to check your answers."""
    base = "/services/fly-tipping/report"
    client.get(f"{base}/start/")
    assert post(client, f"{base}/about-you/", ABOUT_ME).status_code == 302
    assert post(client, f"{base}/where/", place or FLY_TIP_PLACE).status_code == 302
    assert post(client, f"{base}/what/", FLY_TIP_WHAT).status_code == 302
    data: dict[str, Any] = {}
    if photo is not None:
        data["photo"] = _file("tip.jpg", photo)
    response = post(client, f"{base}/photo/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def _file(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/jpeg")
