"""Contacts: admin."""

from __future__ import annotations

from django.contrib import admin

from frontdoor.contacts.models import Contact, InboundMessage
from frontdoor.core.admin import ReadOnlyAdmin


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin[Contact]):
    list_display = ["id", "channel", "direction", "received_at", "service_code", "outcome"]
    list_filter = ["channel", "direction", "outcome", "failure_demand"]
    search_fields = ["summary", "service_code", "idempotency_key"]
    date_hierarchy = "received_at"
    raw_id_fields = ["customer", "handled_by"]
    # Contacts are immutable records of what happened; only the outcome changes, via actions.
    readonly_fields = [f.name for f in Contact._meta.get_fields() if f.concrete]


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    # The raw email stays in the database; staff work the unprocessed queue, not this list.
    list_display = ["received_at", "source", "from_address", "subject", "status"]
    list_filter = ["status", "source"]
    exclude = ["raw"]
