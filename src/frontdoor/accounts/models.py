"""Accounts: one user model for staff, residents and API clients."""

from __future__ import annotations

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


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("role", Role.ADMINISTRATOR)
        fields["is_superuser"] = True
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    @property
    def is_staff(self) -> bool:  # type: ignore[override]
        """Staff reach the console; only administrators reach the Django admin (see admin site)."""
        return self.role not in {Role.RESIDENT, Role.API_CLIENT}

    def __str__(self) -> str:
        return self.display_name or self.email
