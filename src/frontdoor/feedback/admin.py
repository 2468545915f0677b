"""Feedback: admin (read-only: survey answers are the resident's words)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from frontdoor.feedback.models import SurveyInvitation, SurveyResponse


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(_ReadOnly):
    list_display = ["case", "invited_at", "not_sent_reason"]
    exclude = ["token_hash"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(_ReadOnly):
    list_display = ["case_reference", "submitted_at", "satisfaction_service",
                    "satisfaction_staff", "ease_of_access", "resolved_first_time"]
    list_filter = ["satisfaction_service", "resolved_first_time", "channel_used"]
    date_hierarchy = "submitted_at"
