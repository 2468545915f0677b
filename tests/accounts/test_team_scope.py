"""Which teams a user works in, leads and manages."""

from __future__ import annotations

from frontdoor.accounts.queries import (
    led_team_codes,
    managed_team_codes,
    members_of_team,
    team_codes_for,
)
from tests.factories import TeamMembershipFactory, UserFactory


def test_team_helpers_separate_membership_leadership_and_management(db):
    user = UserFactory(
        role="manager",
        teams={"waste-services": "member", "revenues": "leader", "planning": "manager"},
    )
    assert team_codes_for(user) == {"waste-services", "revenues", "planning"}
    assert led_team_codes(user) == {"revenues", "planning"}
    assert managed_team_codes(user) == {"planning"}


def test_a_case_officer_only_sees_their_own_teams(db):
    officer = UserFactory(role="case_officer", teams={"waste-services": "member"})
    TeamMembershipFactory(team_code="revenues")  # someone else's team
    assert team_codes_for(officer) == {"waste-services"}
    assert led_team_codes(officer) == frozenset()


def test_residents_and_deactivated_staff_have_no_teams(db):
    resident = UserFactory(role="resident")
    gone = UserFactory(role="case_officer", teams={"waste-services": "leader"}, is_active=False)
    assert team_codes_for(resident) == frozenset()
    assert team_codes_for(gone) == frozenset()
    assert led_team_codes(gone) == frozenset()


def test_members_of_team_lists_active_people_in_that_team(db):
    a = UserFactory(role="case_officer", teams={"waste-services": "member"})
    UserFactory(role="case_officer", teams={"waste-services": "member"}, is_active=False)
    UserFactory(role="case_officer", teams={"revenues": "member"})
    assert list(members_of_team("waste-services")) == [a]
