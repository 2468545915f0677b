"""Council configuration: admin (read only: versions are loaded with `frontdoor council load`)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html

from frontdoor.council.models import CouncilVersion

_SHOWN = (
    "number",
    "is_current",
    "source",
    "loaded_at",
    "loaded_by",
    "checksum",
    "pretty_document",
)


@admin.register(CouncilVersion)
class CouncilVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "is_current", "source", "loaded_at", "loaded_by", "short_checksum"]
    list_filter = ["is_current"]
    fields = _SHOWN
    readonly_fields = _SHOWN
    actions = None

    @admin.display(description="checksum")
    def short_checksum(self, obj: CouncilVersion) -> str:
        return obj.checksum[:12]

    @admin.display(description="configuration")
    def pretty_document(self, obj: CouncilVersion) -> str:
        text = json.dumps(obj.document, indent=2, ensure_ascii=False)
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', text)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
