"""Fixtures for cases tests: staff in and outside Waste Services."""

from __future__ import annotations

import pytest

from frontdoor.accounts.models import User
from tests.factories import UserFactory


@pytest.fixture
def agent(db: None) -> User:
    return UserFactory(role="agent", display_name="Ann Agent")


@pytest.fixture
def officer(db: None) -> User:
    """A case officer in Waste Services."""
    return UserFactory(role="case_officer", display_name="Owen Officer",
                       teams={"waste-services": "member"})


@pytest.fixture
def leader(db: None) -> User:
    """The Waste Services team leader."""
    return UserFactory(role="team_leader", display_name="Lee Leader",
                       teams={"waste-services": "leader"})


@pytest.fixture
def other_officer(db: None) -> User:
    """A case officer in Environmental Health, not Waste Services."""
    return UserFactory(role="case_officer", display_name="Eve Elsewhere",
                       teams={"environmental-health": "member"})
