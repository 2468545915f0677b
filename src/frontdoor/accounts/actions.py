"""Accounts: functions that change users, roles and teams. Each records an audit change."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from frontdoor.accounts.models import (
    STAFF_ROLES,
    ExternalIdentity,
    Role,
    RoleInTeam,
    TeamMembership,
    User,
)
from frontdoor.accounts.permissions import require
from frontdoor.audit.actions import record_change
from frontdoor.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from frontdoor.core.time import require_aware
from frontdoor.council.errors import CouncilNotLoaded, UnknownCode
from frontdoor.council.queries import current_council

_TEAM_CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _authorise(by: User | None) -> None:
    # by=None is the system itself (an operations command creating the first administrator).
    if by is not None:
        require(by, "users.manage")


def _clean_email(email: str) -> str:
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidInput("email", "invalid", f"{email!r} is not a valid email address") from None
    return address


def _clean_role(role: str, *, staff_only: bool = False) -> str:
    allowed = STAFF_ROLES if staff_only else set(Role.values)
    if role not in allowed:
        raise InvalidInput(
            "role", "invalid", f"{role!r} is not one of: {', '.join(sorted(allowed))}"
        )
    return role


def _clean_team(team_code: str, role_in_team: str) -> tuple[str, str]:
    if not _TEAM_CODE.match(team_code):
        raise InvalidInput("team_code", "invalid", f"{team_code!r} is not a team code (kebab-case)")
    try:
        current_council().team(team_code)
    except CouncilNotLoaded:
        pass  # before a council is loaded (first set-up) only the code's form can be checked
    except UnknownCode:
        raise InvalidInput(
            "team_code", "unknown", f"The council configuration has no team {team_code!r}"
        ) from None
    if role_in_team not in RoleInTeam.values:
        raise InvalidInput(
            "role_in_team",
            "invalid",
            f"{role_in_team!r} is not one of: {', '.join(RoleInTeam.values)}",
        )
    return team_code, role_in_team


def create_staff_user(
    *,
    email: str,
    display_name: str,
    role: str,
    teams: Mapping[str, str] | None = None,
    password: str | None = None,
    by: User | None,
    now: datetime,
) -> User:
    """Create a staff account (2FA required) in `teams` (team code -> member|leader|manager)."""
    require_aware(now)
    _authorise(by)
    address = _clean_email(email)
    role = _clean_role(role, staff_only=True)
    if not display_name.strip():
        raise InvalidInput("display_name", "required", "Enter the person's name")
    cleaned_teams = dict(_clean_team(code, r) for code, r in (teams or {}).items())
    if password is not None:
        try:
            validate_password(password, User(email=address, display_name=display_name))
        except ValidationError as exc:
            raise InvalidInput("password", "weak", " ".join(exc.messages)) from None
    with transaction.atomic():
        if User.objects.filter(email=address).exists():
            raise Conflict(f"There is already an account for {address}", field="email")
        user = User.objects.create_user(
            address, password, display_name=display_name.strip(), role=role, mfa_required=True
        )
        for team_code, role_in_team in cleaned_teams.items():
            TeamMembership.objects.create(
                user=user, team_code=team_code, role_in_team=role_in_team, since=now
            )
        record_change(
            actor=by,
            action="user.created",
            object_type="user",
            object_id=user.pk,
            summary=f"Created {role} account for {address}",
            data={"after": {"email": address, "role": role, "teams": cleaned_teams}},
            at=now,
        )
    return user


def change_role(*, user: User, role: str, by: User | None, now: datetime) -> User:
    """Give the user another role (their team memberships stay)."""
    require_aware(now)
    _authorise(by)
    role = _clean_role(role)
    before = user.role
    if before == role:
        return user
    with transaction.atomic():
        user.role = role
        user.save(update_fields=["role"])
        record_change(
            actor=by,
            action="user.role_changed",
            object_type="user",
            object_id=user.pk,
            summary=f"Role changed from {before} to {role}",
            data={"before": {"role": before}, "after": {"role": role}},
            at=now,
        )
    return user


def set_team_membership(
    *, user: User, team_code: str, role_in_team: str, by: User | None, now: datetime
) -> TeamMembership:
    """Put the user in the team with this role in it (adds or changes the membership)."""
    require_aware(now)
    _authorise(by)
    team_code, role_in_team = _clean_team(team_code, role_in_team)
    if user.role not in STAFF_ROLES:
        raise InvalidInput("user", "not_staff", "Only staff accounts can be in a team")
    with transaction.atomic():
        membership = TeamMembership.objects.filter(user=user, team_code=team_code).first()
        before = membership.role_in_team if membership else None
        if membership is None:
            membership = TeamMembership.objects.create(
                user=user, team_code=team_code, role_in_team=role_in_team, since=now
            )
        elif before != role_in_team:
            membership.role_in_team = role_in_team
            membership.save(update_fields=["role_in_team"])
        else:
            return membership
        record_change(
            actor=by,
            action="user.team_membership_set",
            object_type="user",
            object_id=user.pk,
            summary=f"{team_code}: {before or 'not a member'} -> {role_in_team}",
            data={
                "team_code": team_code,
                "before": {"role_in_team": before},
                "after": {"role_in_team": role_in_team},
            },
            at=now,
        )
    return membership


def remove_team_membership(*, user: User, team_code: str, by: User | None, now: datetime) -> None:
    """Take the user out of the team."""
    require_aware(now)
    _authorise(by)
    with transaction.atomic():
        membership = TeamMembership.objects.filter(user=user, team_code=team_code).first()
        if membership is None:
            raise NotFound(f"{user} is not in team {team_code}", field="team_code")
        before = membership.role_in_team
        membership.delete()
        record_change(
            actor=by,
            action="user.team_membership_removed",
            object_type="user",
            object_id=user.pk,
            summary=f"Removed from {team_code}",
            data={"team_code": team_code, "before": {"role_in_team": before}, "after": None},
            at=now,
        )


def deactivate_user(*, user: User, by: User | None, now: datetime) -> User:
    """Stop the user signing in or acting; their history and audit entries stay."""
    require_aware(now)
    _authorise(by)
    if by is not None and by.pk == user.pk:
        raise Forbidden("You cannot deactivate your own account")
    if not user.is_active:
        return user
    with transaction.atomic():
        user.is_active = False
        user.deactivated_at = now
        user.save(update_fields=["is_active", "deactivated_at"])
        record_change(
            actor=by,
            action="user.deactivated",
            object_type="user",
            object_id=user.pk,
            summary=f"Deactivated {user.email}",
            data={"before": {"is_active": True}, "after": {"is_active": False}},
            at=now,
        )
    return user


def link_external_identity(
    *, user: User, issuer: str, subject: str, by: User | None, now: datetime
) -> ExternalIdentity:
    """Let the user sign in with an OpenID Connect identity (issuer + subject)."""
    require_aware(now)
    _authorise(by)
    if not issuer.strip() or not subject.strip():
        raise InvalidInput("subject", "required", "Both the issuer and the subject are needed")
    with transaction.atomic():
        existing = ExternalIdentity.objects.filter(issuer=issuer, subject=subject).first()
        if existing is not None:
            if existing.user_id == user.pk:
                return existing
            raise Conflict("That identity is already linked to another account", field="subject")
        identity = ExternalIdentity.objects.create(
            user=user, issuer=issuer, subject=subject, linked_at=now
        )
        record_change(
            actor=by,
            action="user.identity_linked",
            object_type="user",
            object_id=user.pk,
            summary=f"Linked sign-in identity from {issuer}",
            data={"after": {"issuer": issuer, "subject": subject}},
            at=now,
        )
    return identity
