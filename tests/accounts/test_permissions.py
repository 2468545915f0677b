"""What each role may do, asked through can() and require()."""

from __future__ import annotations

import pytest

from frontdoor.accounts.permissions import PERMISSIONS, can, require
from frontdoor.core.errors import Forbidden
from tests.factories import UserFactory

STAFF = ["agent", "case_officer", "team_leader", "manager", "administrator"]

# Expectations written out by hand from the brief, so a change to the table is noticed here.
EXPECTED = [
    ("agent", "customer.view", True),
    ("agent", "contact.log", True),
    ("agent", "case.create", True),
    ("agent", "case.hand_off", True),
    ("agent", "case.reassign_any", False),
    ("agent", "queue.view_team", False),
    ("agent", "customer.erase", False),
    ("case_officer", "queue.view_team", True),
    ("case_officer", "case.pause_clock", True),
    ("case_officer", "case.extend_deadline", True),
    ("case_officer", "case.reassign_any", False),
    ("case_officer", "customer.merge", False),
    ("team_leader", "case.reassign_any", True),
    ("team_leader", "customer.merge", True),
    ("team_leader", "customer.erase", False),
    ("team_leader", "users.manage", False),
    ("manager", "customer.erase", True),
    ("manager", "insight.view", True),
    ("manager", "audit.view", True),
    ("manager", "council.configure", False),
    ("administrator", "council.configure", True),
    ("administrator", "users.manage", True),
    ("administrator", "customer.view", False),
    ("resident", "customer.view", False),
    ("resident", "portal.use", True),
    ("api_client", "api.use", True),
    ("api_client", "customer.view", False),
]


@pytest.mark.parametrize(("role", "action", "allowed"), EXPECTED)
def test_role_may_or_may_not_do_action(db, role, action, allowed):
    user = UserFactory(role=role)
    assert can(user, action) is allowed


@pytest.mark.parametrize("role", ["resident", "api_client"])
@pytest.mark.parametrize(
    "action", sorted(a for a, roles in PERMISSIONS.items() if roles & set(STAFF))
)
def test_residents_and_api_clients_never_reach_staff_actions(db, role, action):
    assert not can(UserFactory(role=role), action)


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_every_action_is_allowed_to_someone_and_refused_to_a_deactivated_user(db, action):
    roles = PERMISSIONS[action]
    assert roles, f"{action} is allowed to nobody"
    role = sorted(roles)[0]
    user = UserFactory(role=role)
    assert can(user, action)
    user.is_active = False
    assert not can(user, action)


def test_require_refuses_with_forbidden_naming_the_action(db):
    agent = UserFactory(role="agent")
    require(agent, "contact.log")  # allowed: no error
    with pytest.raises(Forbidden) as refused:
        require(agent, "case.reassign_any")
    assert "case.reassign_any" in refused.value.message
    assert refused.value.code == "forbidden"


def test_signed_out_visitor_can_do_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), "customer.view")
    assert not can(None, "portal.use")


def test_a_misspelt_action_is_an_error_not_a_silent_refusal(db):
    with pytest.raises(KeyError, match=r"customer\.veiw"):
        can(UserFactory(role="manager"), "customer.veiw")
