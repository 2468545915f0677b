"""Cases: admin. History and clocks are read-only here: changes go through the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from frontdoor.cases.models import (
    Attachment,
    Case,
    CaseAccountLink,
    CaseContact,
    CaseEvent,
    CaseParty,
    CaseSequence,
)
from frontdoor.charter.models import Clock
from frontdoor.core.admin import ReadOnlyAdmin, ReadOnlyInline


class ClockInline(ReadOnlyInline):
    model = Clock
    fields = readonly_fields = ("standard_id", "clock_name", "calendar_kind", "started_at",
                                "due_at", "provisional", "stopped_at", "outcome")


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = readonly_fields = ("at", "kind", "by", "summary", "customer_visible")


class CasePartyInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CaseParty
    extra = 0
    raw_id_fields = ["customer"]


class CaseContactInline(ReadOnlyInline):
    model = CaseContact
    fields = readonly_fields = ("contact", "linked_at")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["reference", "case_type", "service_code", "team_code", "owner", "status",
                    "due_at", "promised_at"]
    list_filter = ["status", "case_type", "team_code", "channel"]
    search_fields = ["reference", "title", "service_code"]
    date_hierarchy = "received_at"
    raw_id_fields = ["owner", "created_by", "parent"]
    # The reference, dates and version belong to the workflow, not to hand edits.
    readonly_fields = ["reference", "received_at", "opened_at", "resolved_at", "closed_at",
                       "due_at", "promised_at", "version", "created_by", "idempotency_key"]
    inlines = [CasePartyInline, CaseContactInline, ClockInline, CaseEventInline]


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin[CaseEvent]):
    list_display = ["case", "at", "kind", "by", "customer_visible"]
    list_filter = ["kind", "customer_visible"]
    search_fields = ["case__reference", "summary"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in CaseEvent._meta.concrete_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CaseParty)
class CasePartyAdmin(admin.ModelAdmin[CaseParty]):
    list_display = ["case", "customer", "role"]
    raw_id_fields = ["case", "customer"]


@admin.register(CaseContact)
class CaseContactAdmin(admin.ModelAdmin[CaseContact]):
    list_display = ["case", "contact", "linked_at"]
    raw_id_fields = ["case", "contact"]


@admin.register(CaseSequence)
class CaseSequenceAdmin(admin.ModelAdmin[CaseSequence]):
    list_display = ["year", "last"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # editing it could issue a reference twice


@admin.register(CaseAccountLink)
class CaseAccountLinkAdmin(ReadOnlyAdmin):
    list_display = ["case", "account", "linked_by", "linked_at", "identity_check"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    # Files are downloaded through the case page, which checks access and audits the read.
    list_display = ["case", "original_name", "content_type", "size", "source", "uploaded_at"]
    exclude = ["file"]
