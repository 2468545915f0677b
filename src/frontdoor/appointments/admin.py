"""Appointments: admin (read-only: bookings change through the actions, which record events)."""

from __future__ import annotations

from django.contrib import admin

from frontdoor.appointments.models import Appointment, AppointmentEvent
from frontdoor.core.admin import ReadOnlyAdmin


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "office_code", "service_code", "kind", "starts_at", "status"]
    list_filter = ["office_code", "kind", "status"]
    search_fields = ["reference"]
    date_hierarchy = "starts_at"
    exclude = ["manage_token_hash"]


@admin.register(AppointmentEvent)
class AppointmentEventAdmin(ReadOnlyAdmin):
    list_display = ["appointment", "at", "kind", "by_label", "summary"]
    list_filter = ["kind"]
