"""Accounts: functions that change users, roles and teams. Each records an audit change."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from frontdoor.accounts.errors import InvalidInputs
from frontdoor.accounts.models import (
    API_SCOPES,
    STAFF_ROLES,
    ApiKey,
    ExternalIdentity,
    IdempotencyRecord,
    ResidentAccount,
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
from frontdoor.notifications.actions import queue_message
from frontdoor.notifications.recipients import Recipient

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


# ------------------------------------------------------------------------------ API keys

# last_used_at is a hint for administrators, not an access log: write it at most this often.
API_KEY_USE_GRANULARITY = timedelta(minutes=1)
# How long a retry with the same Idempotency-Key gets the first response back.
IDEMPOTENCY_WINDOW = timedelta(hours=24)


def hash_api_key(raw_key: str) -> str:
    """The sha256 hex digest stored for a key (the key itself is never stored)."""
    return hashlib.sha256(raw_key.encode()).hexdigest()


def create_api_key(
    *,
    name: str,
    scopes: list[str],
    by: User | None,
    now: datetime,
    rate_limit_per_minute: int = 600,
    owner: User | None = None,
) -> tuple[ApiKey, str]:
    """Create a key for a partner system; the raw key is returned here once and never again.

    Without `owner`, a new API client account is made for the key (so the audit trail names
    which partner did what).
    """
    require_aware(now)
    _authorise(by)
    name = name.strip()
    if not name:
        raise InvalidInput("name", "required", "Name the system that will use the key")
    unknown = sorted(set(scopes) - set(API_SCOPES))
    if unknown:
        raise InvalidInput(
            "scopes", "invalid", f"Unknown scope {unknown[0]!r} (known: {', '.join(API_SCOPES)})"
        )
    if not scopes:
        raise InvalidInput("scopes", "required", "Give the key at least one scope")
    if rate_limit_per_minute < 1:
        raise InvalidInput("rate_limit_per_minute", "invalid", "The rate limit must be at least 1")
    if owner is not None and owner.role != Role.API_CLIENT:
        raise InvalidInput("owner", "not_api_client", "A key's owner must be an API client account")
    raw_key = "fd_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        if owner is None:
            owner = User.objects.create_user(
                f"api-client-{secrets.token_hex(6)}@api-clients.invalid",
                None,
                display_name=name[:200],
                role=Role.API_CLIENT,
                mfa_required=False,
            )
        key = ApiKey.objects.create(
            name=name[:200],
            owner=owner,
            prefix=raw_key[:8],
            key_hash=hash_api_key(raw_key),
            scopes=list(dict.fromkeys(scopes)),
            created_at=now,
            created_by=by,
            rate_limit_per_minute=rate_limit_per_minute,
        )
        record_change(
            actor=by,
            action="api_key.created",
            object_type="api_key",
            object_id=key.pk,
            summary=f"Created API key {key.prefix}… for {name}",
            data={"after": {"name": name, "scopes": key.scopes, "owner_id": owner.pk}},
            at=now,
        )
    return key, raw_key


def revoke_api_key(*, key: ApiKey, by: User | None, now: datetime) -> ApiKey:
    """Stop the key working at once (it stays listed, with when it was revoked)."""
    require_aware(now)
    _authorise(by)
    if key.revoked_at is not None:
        return key
    with transaction.atomic():
        ApiKey.objects.filter(pk=key.pk).update(revoked_at=now)
        key.revoked_at = now
        record_change(
            actor=by,
            action="api_key.revoked",
            object_type="api_key",
            object_id=key.pk,
            summary=f"Revoked API key {key.prefix}… ({key.name})",
            data={"before": {"revoked_at": None}, "after": {"revoked_at": now}},
            at=now,
        )
    return key


def record_api_key_use(*, key: ApiKey, now: datetime) -> None:
    """Note that the key was used; writes at most once a minute per key."""
    if key.last_used_at is not None and now - key.last_used_at < API_KEY_USE_GRANULARITY:
        return
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now


# --------------------------------------------------------------------- idempotent creates


def run_idempotently(
    *,
    client: str,
    key: str,
    operation: str,
    request_hash: str,
    now: datetime,
    perform: Callable[[], tuple[int, Any]],
) -> tuple[int, Any]:
    """Run `perform` (returning status and JSON body) once per client and Idempotency-Key.

    The key's record is written in the same transaction as whatever `perform` creates, so a
    concurrent retry waits on the record's unique index and then replays the first response.
    The same key with a different request raises InvalidInput; after 24 hours a key is new.
    """
    key = key.strip()
    if not key or len(key) > 255:
        raise InvalidInput(
            "Idempotency-Key", "invalid", "An Idempotency-Key is 1 to 255 characters"
        )
    replay = _replay(client=client, key=key, operation=operation, request_hash=request_hash,
                     now=now)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                key=key, client=client, operation=operation, request_hash=request_hash,
                created_at=now,
            )
            status, body = perform()
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                response_status=status, response_body=body
            )
            return status, body
    except IntegrityError:
        replay = _replay(client=client, key=key, operation=operation,
                         request_hash=request_hash, now=now)
        if replay is None:
            raise
        return replay


def _replay(
    *, client: str, key: str, operation: str, request_hash: str, now: datetime
) -> tuple[int, Any] | None:
    record = IdempotencyRecord.objects.filter(client=client, key=key).first()
    if record is None:
        return None
    if record.created_at <= now - IDEMPOTENCY_WINDOW:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return None
    if record.operation != operation or record.request_hash != request_hash:
        raise InvalidInput(
            "Idempotency-Key",
            "reused",
            "This Idempotency-Key was already used for a different request: use a new key "
            "for a new request, or send exactly the same request to get the first result",
        )
    if record.response_status is None:  # pragma: no cover - the row is written with its result
        raise Conflict("The first request with this Idempotency-Key is still running",
                       field="Idempotency-Key")
    return record.response_status, record.response_body


def prune_idempotency_records(*, now: datetime) -> int:
    """Forget Idempotency-Keys older than 24 hours (the periodic sweep calls this)."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lte=now - IDEMPOTENCY_WINDOW).delete()
    return deleted


# ------------------------------------------------------------------ residents: My Account
#
# A resident registers with an email address and a password (NCSC guidance: at least 10
# characters, common passwords blocked, no composition rules), confirms the address through a
# signed link that expires, and only then may sign in. Sign-in failures are counted in the
# cache per account and per network address; too many lock sign-in for a while. Nothing here
# says whether an email address has an account: registering an address that has one sends
# its owner a message instead, and a password reset for an unknown address does nothing.

EMAIL_CONFIRMATION_MAX_AGE = timedelta(hours=24)
PASSWORD_RESET_MAX_AGE = timedelta(minutes=60)
SIGN_IN_MAX_FAILURES = 5  # per account, within SIGN_IN_LOCKOUT
# A library or a council's own public computers share one address: allow more there.
SIGN_IN_MAX_FAILURES_PER_ADDRESS = 20
SIGN_IN_LOCKOUT = timedelta(minutes=15)
_CONFIRM_SALT = "frontdoor.accounts.confirm-email"
_NAME_MAX = 100


def _email_digest(address: str) -> str:
    return hashlib.sha256(address.encode()).hexdigest()[:24]


def _account_recipient(user: User) -> Recipient:
    return Recipient(name=user.display_name or user.email, email=user.email,
                     preferred_channel="email")


def _minute(now: datetime) -> str:
    # Idempotency keys per minute: a second click within the minute sends nothing more.
    return now.astimezone(UTC).strftime("%Y%m%d%H%M")


def email_confirmation_token(*, user: User, now: datetime) -> str:
    """A signed link token naming the account and its email address, valid for 24 hours."""
    require_aware(now)
    return signing.dumps(
        {"u": user.pk, "e": _email_digest(user.email), "t": int(now.timestamp())},
        salt=_CONFIRM_SALT,
        compress=True,
    )


def _queue_confirmation(user: User, confirm_url: Callable[[str], str], now: datetime) -> None:
    token = email_confirmation_token(user=user, now=now)
    queue_message(
        event="account_created",
        recipient=_account_recipient(user),
        data={"sign_in_url": confirm_url(token)},
        idempotency_key=f"account-confirm:{user.pk}:{_minute(now)}",
        now=now,
    )


def register_resident(
    *,
    email: str,
    password: str,
    given_name: str,
    family_name: str,
    confirm_url: Callable[[str], str],
    sign_in_url: str,
    now: datetime,
) -> User | None:
    """Register a My Account and email a link to confirm the address (the account waits).

    Returns None, having told nobody anything new, when the address already has an account:
    its owner is emailed a sign-in link (or, unconfirmed, a fresh confirmation link).
    """
    require_aware(now)
    errors: list[InvalidInput] = []
    names = {}
    for field, value, message in (
        ("given_name", given_name, "Enter your first name"),
        ("family_name", family_name, "Enter your last name"),
    ):
        cleaned = " ".join((value or "").split())
        if not cleaned:
            errors.append(InvalidInput(field, "required", message))
        elif len(cleaned) > _NAME_MAX:
            errors.append(InvalidInput(field, "too_long",
                                       f"Use {_NAME_MAX} characters or fewer"))
        names[field] = cleaned
    address = ""
    if not (email or "").strip():
        errors.append(InvalidInput("email", "required", "Enter your email address"))
    else:
        try:
            address = _clean_email(email)
        except InvalidInput:
            errors.append(InvalidInput(
                "email", "invalid",
                "Enter an email address in the correct format, like name@example.com"))
    display_name = f"{names['given_name']} {names['family_name']}".strip()
    if not password:
        errors.append(InvalidInput("password", "required", "Enter a password"))
    else:
        try:
            validate_password(password, User(email=address, display_name=display_name))
        except ValidationError as exc:
            errors.append(InvalidInput("password", "weak", " ".join(exc.messages)))
    if errors:
        raise InvalidInputs(errors)
    with transaction.atomic():
        existing = User.objects.select_related("resident_account").filter(email=address).first()
        if existing is not None:
            _tell_existing_owner(existing, confirm_url=confirm_url, sign_in_url=sign_in_url,
                                 now=now)
            return None
        user = User.objects.create_user(
            address, password, display_name=display_name, role=Role.RESIDENT, mfa_required=False
        )
        ResidentAccount.objects.create(user=user, registered_at=now)
        record_change(
            actor=user,
            action="user.registered",
            object_type="user",
            object_id=user.pk,
            summary="Registered for My Account (email not yet confirmed)",
            data={"after": {"email": address, "role": Role.RESIDENT}},
            at=now,
        )
        _queue_confirmation(user, confirm_url, now)
    return user


def _tell_existing_owner(
    user: User, *, confirm_url: Callable[[str], str], sign_in_url: str, now: datetime
) -> None:
    if user.role != Role.RESIDENT or not user.is_active:
        return  # staff and API accounts never use the portal; say nothing
    account = getattr(user, "resident_account", None)
    if account is None or not account.is_verified:
        _queue_confirmation(user, confirm_url, now)
        return
    queue_message(
        event="account_created",
        recipient=_account_recipient(user),
        data={"sign_in_url": sign_in_url},
        idempotency_key=f"account-exists:{user.pk}:{_minute(now)}",
        now=now,
    )


def confirm_resident_email(*, token: str, now: datetime) -> tuple[User, bool]:
    """Mark the account's email confirmed from a link; (user, True) the first time only."""
    require_aware(now)
    try:
        claims = signing.loads(token, salt=_CONFIRM_SALT)
    except signing.BadSignature:
        raise InvalidInput("token", "invalid", "This link is not valid. Check you copied "
                           "the whole link from the email.") from None
    if not isinstance(claims, dict) or not {"u", "e", "t"} <= claims.keys():
        raise InvalidInput("token", "invalid", "This link is not valid.")
    with transaction.atomic():
        account = (
            ResidentAccount.objects.select_for_update()
            .select_related("user")
            .filter(user_id=claims["u"], user__is_active=True, user__role=Role.RESIDENT)
            .first()
        )
        if account is None or _email_digest(account.user.email) != claims["e"]:
            raise InvalidInput("token", "invalid", "This link is not valid.")
        if account.is_verified:
            return account.user, False
        issued = datetime.fromtimestamp(int(claims["t"]), tz=UTC)
        if now - issued > EMAIL_CONFIRMATION_MAX_AGE:
            raise InvalidInput("token", "expired", "This link has expired. Sign in with your "
                               "email address and password and we will send you a new one.")
        account.email_verified_at = now
        account.save(update_fields=["email_verified_at"])
        record_change(
            actor=account.user,
            action="user.email_confirmed",
            object_type="user",
            object_id=account.user_id,
            summary="Confirmed the email address of a My Account",
            data={"after": {"email_verified_at": now}},
            at=now,
        )
    return account.user, True


def _throttle_key(kind: str, value: str) -> str:
    return f"frontdoor:sign-in-failures:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _recent_failures(key: str, now: datetime) -> list[float]:
    since = (now - SIGN_IN_LOCKOUT).timestamp()
    return [at for at in cache.get(key, []) if at > since]


def sign_in_locked_until(*, email: str, ip: str, now: datetime) -> datetime | None:
    """When sign-in opens again for this account or address, if it is locked now."""
    address = email.strip().lower()
    latest: datetime | None = None
    for key, limit in ((_throttle_key("account", address), SIGN_IN_MAX_FAILURES),
                       (_throttle_key("address", ip), SIGN_IN_MAX_FAILURES_PER_ADDRESS)):
        failures = _recent_failures(key, now)
        if len(failures) >= limit:
            until = datetime.fromtimestamp(failures[-limit], tz=UTC) + SIGN_IN_LOCKOUT
            latest = until if latest is None else max(latest, until)
    return latest


def _record_sign_in_failure(address: str, ip: str, now: datetime) -> None:
    timeout = int(SIGN_IN_LOCKOUT.total_seconds()) + 60
    for key in (_throttle_key("account", address), _throttle_key("address", ip)):
        failures = [*_recent_failures(key, now), now.timestamp()]
        cache.set(key, failures[-SIGN_IN_MAX_FAILURES_PER_ADDRESS:], timeout)


def _locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    return (
        "You have entered the wrong details too many times. For your security, sign-in is "
        f"locked for {minutes} minute{'s' if minutes != 1 else ''}. You can reset your "
        "password instead."
    )


def sign_in_resident(
    *, email: str, password: str, ip: str, confirm_url: Callable[[str], str], now: datetime
) -> User:
    """The resident whose email and password these are, unless sign-in is locked.

    Every failure counts towards the lock-out, whether or not the address has an account, so
    the answer never says which. An unconfirmed account is refused and sent a new link.
    """
    require_aware(now)
    address = (email or "").strip().lower()
    if not address:
        raise InvalidInput("email", "required", "Enter your email address")
    if not password:
        raise InvalidInput("password", "required", "Enter your password")
    until = sign_in_locked_until(email=address, ip=ip, now=now)
    if until is not None:
        raise InvalidInput("email", "locked", _locked_message(until, now))
    user = authenticate(None, username=address, password=password)
    if not isinstance(user, User) or user.role != Role.RESIDENT:
        _record_sign_in_failure(address, ip, now)
        until = sign_in_locked_until(email=address, ip=ip, now=now)
        if until is not None:
            raise InvalidInput("email", "locked", _locked_message(until, now))
        raise InvalidInput("email", "invalid_login",
                           "Enter a correct email address and password")
    account = ResidentAccount.objects.filter(user=user).first()
    if account is None or not account.is_verified:
        with transaction.atomic():
            _queue_confirmation(user, confirm_url, now)
        raise InvalidInput("email", "not_confirmed",
                           "You need to confirm your email address before you can sign in. "
                           "We have sent you a new link: check your email.")
    cache.delete(_throttle_key("account", address))
    return user


class _ResetTokens(PasswordResetTokenGenerator):
    """Django's reset tokens with the clock passed in (they stop working once used)."""

    def __init__(self, now: datetime):
        super().__init__()
        self._at = now.astimezone(UTC).replace(tzinfo=None)

    def _now(self) -> datetime:
        return self._at


def request_password_reset(
    *, email: str, reset_url: Callable[[str, str], str], now: datetime
) -> None:
    """Email a link to set a new password, if the address has a My Account (says nothing)."""
    require_aware(now)
    address = (email or "").strip().lower()
    if not address:
        raise InvalidInput("email", "required", "Enter your email address")
    user = User.objects.filter(email=address, role=Role.RESIDENT, is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = _ResetTokens(now).make_token(user)
    with transaction.atomic():
        queue_message(
            event="password_reset",
            recipient=_account_recipient(user),
            data={"reset_url": reset_url(uid, token),
                  "expires_in_minutes": str(int(PASSWORD_RESET_MAX_AGE.total_seconds() // 60))},
            idempotency_key=f"password-reset:{user.pk}:{_minute(now)}",
            now=now,
        )


def user_for_password_reset(*, uid: str, token: str, now: datetime) -> User:
    """The resident a reset link is for, if it is genuine, unused and not expired."""
    require_aware(now)
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError):
        pk = None
    user = User.objects.filter(pk=pk, role=Role.RESIDENT, is_active=True).first() if pk else None
    problem = InvalidInput("token", "invalid", "This link to reset your password has expired "
                           "or has already been used. Ask for a new one.")
    if user is None:
        raise problem
    try:
        issued = base36_to_int(token.split("-", 1)[0])
    except ValueError:
        raise problem from None
    generator = _ResetTokens(now)
    age = generator._num_seconds(generator._now()) - issued
    if age > PASSWORD_RESET_MAX_AGE.total_seconds() or not generator.check_token(user, token):
        raise problem
    return user


def reset_password(*, uid: str, token: str, password: str, now: datetime) -> User:
    """Set a new password from a reset link; the link then stops working."""
    user = user_for_password_reset(uid=uid, token=token, now=now)
    if not password:
        raise InvalidInput("password", "required", "Enter a new password")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput("password", "weak", " ".join(exc.messages)) from None
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_change(
            actor=user,
            action="user.password_reset",
            object_type="user",
            object_id=user.pk,
            summary="Set a new password from a reset link",
            at=now,
        )
    cache.delete(_throttle_key("account", user.email))
    return user
