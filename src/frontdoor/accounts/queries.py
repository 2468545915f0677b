"""Accounts: reads, including the team scope a user works in."""

from __future__ import annotations

import hashlib

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from frontdoor.accounts.models import (
    STAFF_ROLES,
    ApiKey,
    ResidentAccount,
    Role,
    RoleInTeam,
    TeamMembership,
    User,
)
from frontdoor.core.errors import Forbidden, InvalidInput, NotFound


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


def authenticate_api_key(*, raw_key: str, scope: str) -> ApiKey:
    """The live key for `raw_key` if it holds `scope`; Forbidden (saying why) otherwise."""
    raw_key = (raw_key or "").strip()
    if not raw_key:
        raise Forbidden("No API key: send Authorization: Bearer <key>", code="missing_key")
    key = (
        ApiKey.objects.select_related("owner")
        .filter(key_hash=hashlib.sha256(raw_key.encode()).hexdigest())
        .first()
    )
    if key is None:
        raise Forbidden("That API key is not recognised", code="unknown_key")
    if key.revoked_at is not None:
        raise Forbidden(f"API key {key.prefix}… was revoked", code="revoked_key")
    if not key.owner.is_active:
        raise Forbidden(f"API key {key.prefix}… belongs to a deactivated account",
                        code="revoked_key")
    if scope not in key.scopes:
        raise Forbidden(
            f"API key {key.prefix}… does not have the {scope!r} scope", code="missing_scope"
        )
    return key


def api_keys() -> QuerySet[ApiKey]:
    """Every API key, newest first, for the operations command and administrators."""
    return ApiKey.objects.select_related("owner").order_by("-created_at", "-id")


def api_key_by_prefix(prefix: str) -> ApiKey:
    """The key whose shown prefix is `prefix` (NotFound if none, InvalidInput if ambiguous)."""
    matches = list(ApiKey.objects.filter(prefix=prefix.strip())[:2])
    if not matches:
        raise NotFound(f"There is no API key {prefix!r}", field="prefix")
    if len(matches) > 1:
        raise InvalidInput("prefix", "ambiguous", f"More than one key starts {prefix!r}")
    return matches[0]


def resident_account_of(user: AbstractBaseUser | AnonymousUser | None) -> ResidentAccount | None:
    """The signed-in resident's My Account (None for anyone else, or an unconfirmed one)."""
    if (
        user is None
        or not user.is_authenticated
        or not getattr(user, "is_active", False)
        or getattr(user, "role", None) != Role.RESIDENT
    ):
        return None
    account = ResidentAccount.objects.filter(user_id=user.pk).first()
    if account is None or not account.is_verified:
        return None
    return account
