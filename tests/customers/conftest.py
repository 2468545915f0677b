from __future__ import annotations

import pytest

from tests.factories import UserFactory


@pytest.fixture
def agent(db):
    return UserFactory(role="agent", display_name="Alex Agent")


@pytest.fixture
def leader(db):
    return UserFactory(role="team_leader", teams={"customer-services": "leader"})


@pytest.fixture
def manager(db):
    return UserFactory(role="manager")
