"""Customer Charter: admin (clocks change only through the charter actions, which cases call)."""

from __future__ import annotations

from django.contrib import admin

from frontdoor.charter.models import Clock
from frontdoor.core.admin import ReadOnlyAdmin


@admin.register(Clock)
class ClockAdmin(ReadOnlyAdmin):
    list_display = ["case", "standard_id", "clock_name", "due_at", "provisional", "stopped_at",
                    "outcome"]
    list_filter = ["standard_id", "outcome", "provisional"]
    raw_id_fields = ["case"]
