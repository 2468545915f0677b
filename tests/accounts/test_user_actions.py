"""Administrators create staff, change roles and teams, and deactivate; each is audited."""

from __future__ import annotations

import pytest

from frontdoor.accounts.actions import (
    change_role,
    create_staff_user,
    deactivate_user,
    link_external_identity,
    remove_team_membership,
    set_team_membership,
)
from frontdoor.accounts.models import TeamMembership, User
from frontdoor.accounts.queries import led_team_codes, team_codes_for, user_for_external_identity
from frontdoor.audit.queries import entries_for
from frontdoor.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.factories import UserFactory


@pytest.fixture
def admin(db):
    return UserFactory(role="administrator")


def test_created_staff_user_signs_in_by_email_needs_2fa_and_is_in_teams(admin, now):
    user = create_staff_user(
        email="  Jo.Bloggs@North-Norfolk.gov.uk ",
        display_name="Jo Bloggs",
        role="case_officer",
        teams={"waste-services": "member", "revenues": "leader"},
        by=admin,
        now=now,
    )
    assert user.email == "jo.bloggs@north-norfolk.gov.uk"
    assert user.mfa_required and user.is_staff
    assert not user.has_usable_password()
    assert team_codes_for(user) == {"waste-services", "revenues"}
    assert led_team_codes(user) == {"revenues"}
    [entry] = entries_for("user", user.pk)
    assert entry.action == "user.created" and entry.actor == admin and entry.at == now
    assert entry.data["after"]["teams"] == {"waste-services": "member", "revenues": "leader"}


def test_only_administrators_create_staff(db, now):
    manager = UserFactory(role="manager")
    with pytest.raises(Forbidden):
        create_staff_user(
            email="x@example.gov.uk", display_name="X", role="agent", by=manager, now=now
        )
    assert not User.objects.filter(email="x@example.gov.uk").exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"role": "resident"}, "role"),
        ({"display_name": " "}, "display_name"),
        ({"teams": {"Waste Services": "member"}}, "team_code"),
        ({"teams": {"waste-services": "boss"}}, "role_in_team"),
        ({"password": "password"}, "password"),
    ],
)
def test_bad_staff_details_are_refused_naming_the_field_and_nothing_is_created(
    admin, now, kwargs, field
):
    base = {"email": "new@example.gov.uk", "display_name": "New Person", "role": "agent"}
    with pytest.raises(InvalidInput) as refused:
        create_staff_user(**{**base, **kwargs}, by=admin, now=now)
    assert refused.value.field == field
    assert User.objects.count() == 1  # just the administrator
    assert not TeamMembership.objects.exists()


def test_the_same_email_cannot_have_two_accounts(admin, now):
    UserFactory(email="taken@example.gov.uk")
    with pytest.raises(Conflict):
        create_staff_user(
            email="TAKEN@example.gov.uk", display_name="T", role="agent", by=admin, now=now
        )


def test_role_and_team_changes_are_recorded_with_before_and_after(admin, now):
    user = UserFactory(role="case_officer")
    change_role(user=user, role="team_leader", by=admin, now=now)
    set_team_membership(
        user=user, team_code="waste-services", role_in_team="member", by=admin, now=now
    )
    set_team_membership(
        user=user, team_code="waste-services", role_in_team="leader", by=admin, now=now
    )
    user.refresh_from_db()
    assert user.role == "team_leader"
    assert led_team_codes(user) == {"waste-services"}
    remove_team_membership(user=user, team_code="waste-services", by=admin, now=now)
    assert team_codes_for(user) == frozenset()
    entries = list(entries_for("user", user.pk))
    assert [e.action for e in entries] == [
        "user.role_changed",
        "user.team_membership_set",
        "user.team_membership_set",
        "user.team_membership_removed",
    ]
    assert entries[0].data == {"before": {"role": "case_officer"}, "after": {"role": "team_leader"}}
    assert entries[2].data["before"] == {"role_in_team": "member"}
    with pytest.raises(NotFound):
        remove_team_membership(user=user, team_code="waste-services", by=admin, now=now)


def test_deactivated_user_can_do_nothing_and_cannot_deactivate_themselves(admin, now):
    agent = UserFactory(role="agent")
    deactivate_user(user=agent, by=admin, now=now)
    agent.refresh_from_db()
    assert not agent.is_active and agent.deactivated_at == now
    assert entries_for("user", agent.pk).get().action == "user.deactivated"
    with pytest.raises(Forbidden):
        deactivate_user(user=admin, by=admin, now=now)


def test_openid_identity_links_to_one_user_only(admin, now):
    user = UserFactory(role="agent")
    link_external_identity(
        user=user, issuer="https://login.example.gov.uk", subject="abc", by=admin, now=now
    )
    found = user_for_external_identity(issuer="https://login.example.gov.uk", subject="abc")
    assert found == user
    with pytest.raises(Conflict):
        link_external_identity(
            user=UserFactory(),
            issuer="https://login.example.gov.uk",
            subject="abc",
            by=admin,
            now=now,
        )


def test_staff_must_use_two_factor_but_residents_need_not(db):
    resident = User.objects.create_user("r@example.com", role="resident")
    agent = User.objects.create_user("a@example.gov.uk", role="agent")
    assert (resident.mfa_required, resident.is_staff) == (False, False)
    assert (agent.mfa_required, agent.is_staff) == (True, True)


def test_a_team_the_council_does_not_have_is_refused_once_a_council_is_loaded(
    admin, now, monkeypatch
):
    import tomllib
    from importlib import resources

    from frontdoor.accounts import actions
    from frontdoor.council.config import CouncilConfig

    text = (resources.files("frontdoor.council") / "presets" / "north-norfolk.toml").read_text()
    config = CouncilConfig.model_validate(tomllib.loads(text))
    monkeypatch.setattr(actions, "current_council", lambda: config)
    real_team = config.teams[0].code
    with pytest.raises(InvalidInput) as refused:
        create_staff_user(
            email="n@example.gov.uk",
            display_name="N",
            role="agent",
            teams={"no-such-team": "member"},
            by=admin,
            now=now,
        )
    assert refused.value.field == "team_code"
    user = create_staff_user(
        email="n@example.gov.uk",
        display_name="N",
        role="agent",
        teams={real_team: "member"},
        by=admin,
        now=now,
    )
    assert team_codes_for(user) == {real_team}
