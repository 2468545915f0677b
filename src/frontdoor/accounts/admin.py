"""Accounts: admin."""

from __future__ import annotations

from django.contrib import admin

from frontdoor.accounts.models import (
    ApiKey,
    ExternalIdentity,
    IdempotencyRecord,
    MfaDevice,
    ResidentAccount,
    TeamMembership,
    User,
)
from frontdoor.core.admin import ReadOnlyAdmin


class TeamMembershipInline(admin.TabularInline[TeamMembership, User]):
    model = TeamMembership
    extra = 0


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ["email", "display_name", "role", "is_active", "mfa_required", "last_login"]
    list_filter = ["role", "is_active", "mfa_required"]
    search_fields = ["email", "display_name"]
    ordering = ["email"]
    # Passwords are set through the sign-in flows, never shown or typed here.
    exclude = ["password"]
    readonly_fields = ["last_login", "created_at", "deactivated_at"]
    inlines = [TeamMembershipInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin[TeamMembership]):
    list_display = ["user", "team_code", "role_in_team", "since"]
    list_filter = ["team_code", "role_in_team"]
    search_fields = ["user__email", "team_code"]


@admin.register(MfaDevice)
class MfaDeviceAdmin(admin.ModelAdmin[MfaDevice]):
    list_display = ["user", "kind", "name", "confirmed_at", "last_used_at"]
    list_filter = ["kind"]
    exclude = ["secret"]  # never display a second factor's secret


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin[ExternalIdentity]):
    list_display = ["user", "issuer", "subject", "linked_at"]
    search_fields = ["user__email", "subject"]


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    # Keys are made and revoked with `frontdoor api-key`; only the prefix identifies one here.
    list_display = ["name", "prefix", "owner", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(ReadOnlyAdmin):
    pass


@admin.register(ResidentAccount)
class ResidentAccountAdmin(ReadOnlyAdmin):
    pass
