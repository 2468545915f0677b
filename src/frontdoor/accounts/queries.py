"""Accounts: reads, including the team scope a user works in."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from frontdoor.accounts.models import STAFF_ROLES, RoleInTeam, TeamMembership, User


def _team_codes(user: AbstractBaseUser | AnonymousUser | None, roles: set[str]) -> frozenset[str]:
    if (
        user is None
        or not user.is_authenticated
        or not getattr(user, "is_active", False)
        or getattr(user, "role", None) not in STAFF_ROLES
    ):
        return frozenset()
    return frozenset(
        TeamMembership.objects.filter(user_id=user.pk, role_in_team__in=roles).values_list(
            "team_code", flat=True
        )
    )


def team_codes_for(user: AbstractBaseUser | AnonymousUser | None) -> frozenset[str]:
    """Every team the user belongs to (as member, leader or manager)."""
    return _team_codes(user, set(RoleInTeam.values))


def led_team_codes(user: AbstractBaseUser | AnonymousUser | None) -> frozenset[str]:
    """Teams the user leads; a manager has a leader's authority in the teams they manage."""
    return _team_codes(user, {RoleInTeam.LEADER, RoleInTeam.MANAGER})


def managed_team_codes(user: AbstractBaseUser | AnonymousUser | None) -> frozenset[str]:
    """Teams the user manages (role_in_team = manager)."""
    return _team_codes(user, {RoleInTeam.MANAGER})


def members_of_team(team_code: str) -> QuerySet[User]:
    """Active users in a team, for assignment pickers."""
    return User.objects.filter(is_active=True, team_memberships__team_code=team_code).order_by(
        "display_name", "email"
    )


def user_for_external_identity(*, issuer: str, subject: str) -> User | None:
    """The active user an OpenID Connect identity is linked to, if any."""
    return User.objects.filter(
        is_active=True, external_identities__issuer=issuer, external_identities__subject=subject
    ).first()
