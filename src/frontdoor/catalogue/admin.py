"""Service catalogue: admin (read-only lists; edits go through the console so they are revised)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from frontdoor.catalogue.models import ArticleRevision, KnowledgeArticle, SignpostOrganisation


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(ReadOnlyAdmin):
    list_display = ("title", "service_code", "published", "updated_at")
    list_filter = ("published", "service_code")
    search_fields = ("title", "summary")


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(ReadOnlyAdmin):
    list_display = ("article", "number", "at", "by_label", "summary")


@admin.register(SignpostOrganisation)
class SignpostOrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "phone", "url", "area", "active")
    search_fields = ("name", "help_with")
