"""Feedback: admin (read-only: survey answers are the resident's words)."""

from __future__ import annotations

from django.contrib import admin

from frontdoor.core.admin import ReadOnlyAdmin
from frontdoor.feedback.models import SurveyInvitation, SurveyResponse


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    list_display = ["case", "invited_at", "not_sent_reason"]
    exclude = ["token_hash"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ["case_reference", "submitted_at", "satisfaction_service",
                    "satisfaction_staff", "ease_of_access", "resolved_first_time"]
    list_filter = ["satisfaction_service", "resolved_first_time", "channel_used"]
    date_hierarchy = "submitted_at"
