"""Service catalogue: admin (read-only lists; edits go through the console so they are revised)."""

from __future__ import annotations

from django.contrib import admin

from frontdoor.catalogue.models import (
    ArticleRevision,
    FormDraft,
    KnowledgeArticle,
    SignpostOrganisation,
)
from frontdoor.core.admin import ReadOnlyAdmin


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


@admin.register(FormDraft)
class FormDraftAdmin(ReadOnlyAdmin):
    list_display = ["service_code", "form_code", "started_at", "updated_at", "submitted_at",
                    "reminded_at"]
    exclude = ["token"]
