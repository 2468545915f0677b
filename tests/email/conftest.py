"""Fixtures for email-in tests: real .eml samples and a fresh routing model per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdoor.accounts.models import User
from frontdoor.cases.routing import forget_routing_model
from tests.factories import UserFactory

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str, **fill: str) -> bytes:
    """The bytes of tests/email/samples/<name>.eml, with {PLACEHOLDERS} filled in."""
    raw = (SAMPLES / f"{name}.eml").read_bytes()
    for key, value in fill.items():
        raw = raw.replace(f"{{{key}}}".encode(), value.encode())
    return raw


@pytest.fixture(autouse=True)
def _fresh_routing_model() -> Iterator[None]:
    forget_routing_model()
    yield
    forget_routing_model()


@pytest.fixture
def agent(db: None) -> User:
    return UserFactory(role="agent", display_name="Ann Agent")


@pytest.fixture
def waste_officer(db: None) -> User:
    return UserFactory(role="case_officer", display_name="Owen Officer",
                       teams={"waste-services": "member"})
