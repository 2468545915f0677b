"""Fixtures for Open311 tests: the time frozen at `now`, a FixMyStreet key, XML helpers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.http import HttpResponse
from freezegun import freeze_time
from freezegun.api import FrozenDateTimeFactory

from frontdoor.accounts.actions import create_api_key
from frontdoor.accounts.models import User
from tests.factories import UserFactory

BASE = "/open311/v2/"
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'


@pytest.fixture(autouse=True)
def open311_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.open311.urls"


@pytest.fixture
def clock(now: datetime) -> Iterator[FrozenDateTimeFactory]:
    """The wall clock the views read, frozen at `now` (move it with clock.move_to)."""
    with freeze_time(now) as frozen:
        yield frozen


@pytest.fixture
def api_key(council: Any, now: datetime) -> str:
    """The raw key of a FixMyStreet client with the open311 scope."""
    _key, raw = create_api_key(name="fixmystreet", scopes=["open311"], by=None, now=now)
    return raw


@pytest.fixture
def officer(db: None) -> User:
    """A Waste Services case officer (fly-tipping is theirs)."""
    return UserFactory(role="case_officer", display_name="Owen Officer",
                       teams={"waste-services": "member"})


def xml_of(response: HttpResponse) -> ET.Element:
    """The parsed XML body, checked: declaration, content type, no attributes anywhere."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(XML_DECLARATION)
    root = ET.fromstring(response.content)
    for element in root.iter():
        assert element.attrib == {}, f"<{element.tag}> has attributes"
        assert not element.tag.startswith("{"), f"<{element.tag}> has a namespace"
    return root


def json_of(response: HttpResponse) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def errors_of(response: HttpResponse) -> list[tuple[str, str]]:
    root = xml_of(response)
    assert root.tag == "errors"
    return [(e.findtext("code") or "", e.findtext("description") or "")
            for e in root.findall("error")]
