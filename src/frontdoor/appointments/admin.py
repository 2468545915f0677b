"""Appointments: admin (read-only: bookings change through the actions, which record events)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from frontdoor.appointments.models import Appointment, AppointmentEvent


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(_ReadOnly):
    list_display = ["reference", "office_code", "service_code", "kind", "starts_at", "status"]
    list_filter = ["office_code", "kind", "status"]
    search_fields = ["reference"]
    date_hierarchy = "starts_at"
    exclude = ["manage_token_hash"]


@admin.register(AppointmentEvent)
class AppointmentEventAdmin(_ReadOnly):
    list_display = ["appointment", "at", "kind", "by_label", "summary"]
    list_filter = ["kind"]
