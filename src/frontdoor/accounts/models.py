"""Accounts: one user model for staff, residents and API clients; teams; sign-in readiness."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models


class Role(models.TextChoices):
    AGENT = "agent", "Agent"
    CASE_OFFICER = "case_officer", "Case officer"
    TEAM_LEADER = "team_leader", "Team leader"
    MANAGER = "manager", "Manager"
    ADMINISTRATOR = "administrator", "Administrator"
    RESIDENT = "resident", "Resident"
    API_CLIENT = "api_client", "API client"


STAFF_ROLES: frozenset[str] = frozenset(
    {Role.AGENT, Role.CASE_OFFICER, Role.TEAM_LEADER, Role.MANAGER, Role.ADMINISTRATOR}
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        # Staff must use two-factor sign-in unless someone decides otherwise on purpose.
        fields.setdefault("mfa_required", fields.get("role") in STAFF_ROLES)
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("role", Role.ADMINISTRATOR)
        fields["is_superuser"] = True
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    mfa_required = models.BooleanField(
        default=True, help_text="Must sign in with a second factor (true for staff by default)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    @property
    def is_staff(self) -> bool:  # type: ignore[override]
        """Staff reach the console; only administrators reach the Django admin (see admin site)."""
        return self.role not in {Role.RESIDENT, Role.API_CLIENT}

    def __str__(self) -> str:
        return self.display_name or self.email


class RoleInTeam(models.TextChoices):
    MEMBER = "member", "Member"
    LEADER = "leader", "Leader"
    MANAGER = "manager", "Manager"


class TeamMembership(models.Model):
    """A user's place in a team named by its code in the council configuration (no foreign key)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    team_code = models.CharField(max_length=64)
    role_in_team = models.CharField(
        max_length=10, choices=RoleInTeam.choices, default=RoleInTeam.MEMBER
    )
    since = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team_code"], name="one_membership_per_team"),
        ]
        indexes = [models.Index(fields=["team_code", "role_in_team"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.team_code} ({self.role_in_team})"


class MfaKind(models.TextChoices):
    TOTP = "totp", "Authenticator app (TOTP)"
    WEBAUTHN = "webauthn", "Security key or passkey (WebAuthn)"


class MfaDevice(models.Model):
    """A second factor a user has enrolled.

    `secret` holds the TOTP seed or the WebAuthn credential (public key and id). It is NOT
    encrypted at rest yet: encrypt it before two-factor sign-in goes live.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mfa_devices"
    )
    kind = models.CharField(max_length=10, choices=MfaKind.choices)
    name = models.CharField(max_length=100)
    secret = models.TextField(blank=True)
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class ExternalIdentity(models.Model):
    """A sign-in identity from an OpenID Connect provider linked to a user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "external identities"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_oidc_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


API_SCOPES: tuple[str, ...] = (
    "open311",
    "cases:read",
    "cases:write",
    "customers:read",
    "customers:write",
    "contacts:write",
    "services:read",
    "webhooks",
)


class ApiKey(models.Model):
    """A partner system's key: only the sha256 of the secret is kept; `prefix` identifies it."""

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_keys"
    )
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="api_keys_created",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(default=600)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The first response to a create sent with an Idempotency-Key, replayed to retries.

    `request_hash` is "" while the first request is still running (the row claims the key).
    """

    key = models.CharField(max_length=255)
    client = models.CharField(max_length=80)  # "key:<ApiKey id>" or "user:<User id>"
    operation = models.CharField(max_length=80)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="one_record_per_client_key"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.key}"


class ResidentAccount(models.Model):
    """A resident's My Account: whether its email is confirmed and which customer it is.

    `customer_id` names a `customers.Customer` by id (customers sits above accounts, so no
    foreign key): it is set when the email is confirmed (a new customer record) or when staff
    link the account to an existing customer after checking the person's identity. Nothing
    ever links an account to a customer, or a case to an account, by matching an email or name.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resident_account"
    )
    registered_at = models.DateTimeField()
    email_verified_at = models.DateTimeField(null=True, blank=True)
    customer_id = models.BigIntegerField(null=True, blank=True, unique=True)
    customer_linked_at = models.DateTimeField(null=True, blank=True)
    # Who linked it: None when the confirmed email created a new customer record.
    customer_linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    identity_check = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"My Account of user {self.user_id}"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None
