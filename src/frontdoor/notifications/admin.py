"""Notifications: admin. Templates are edited here: every save is a new version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, linebreaks

from frontdoor.core.admin import ReadOnlyAdmin
from frontdoor.core.errors import InvalidInput
from frontdoor.notifications import actions, queries
from frontdoor.notifications.events import EVENTS
from frontdoor.notifications.models import (
    Broadcast,
    Message,
    MessageStatusChange,
    MessageTemplate,
    Subscription,
    Topic,
    WebhookDelivery,
    WebhookDeliveryStatusChange,
    WebhookSubscription,
)
from frontdoor.notifications.templates import check_placeholders


class MessageTemplateForm(forms.ModelForm):
    event = forms.ChoiceField(choices=[(name, name) for name in EVENTS])

    class Meta:
        model = MessageTemplate
        fields = ["event", "channel", "language", "subject", "body"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        event = cleaned.get("event")
        if event in EVENTS:
            try:
                check_placeholders(
                    EVENTS[event], subject=cleaned.get("subject", ""), body=cleaned.get("body", "")
                )
            except InvalidInput as error:
                raise forms.ValidationError({error.field or "body": error.message}) from None
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["event", "channel", "language", "version", "is_current", "created_by_label",
                    "created_at"]
    list_filter = ["channel", "language", "is_current", "event"]
    readonly_fields = ["preview", "readability", "version", "created_by_label", "created_at"]

    @admin.display(description="Preview with sample data")
    def preview(self, obj: MessageTemplate) -> str:
        if not obj.pk:
            return "Save to see a preview."
        text = queries.template_preview(
            event=obj.event, channel=obj.channel, language=obj.language,
            subject=obj.subject, body=obj.body,
        )
        return format_html("<div>{}</div>", linebreaks(text))

    @admin.display(description="Plain English check")
    def readability(self, obj: MessageTemplate) -> str:
        if not obj.pk:
            return ""
        report = actions.template_readability(subject=obj.subject, body=obj.body)
        return " ".join(report.warnings) or f"Reading age about {report.reading_age:g}: fine."

    def save_model(
        self, request: HttpRequest, obj: MessageTemplate, form: Any, change: bool
    ) -> None:
        # Never overwrite words that messages were rendered with: save a new version.
        saved, report = actions.save_template_version(
            event=obj.event, channel=obj.channel, language=obj.language, subject=obj.subject,
            body=obj.body, by_label=request.user.get_username(), now=timezone.now(),
        )
        obj.pk = saved.pk
        obj.version = saved.version
        for warning in report.warnings:
            messages.warning(request, warning)


class HistoryInline(admin.TabularInline):
    model = MessageStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["status", "at", "detail"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["event", "channel", "provider", "status", "attempts", "subject_id",
                    "created_at"]
    list_filter = ["status", "channel", "provider", "event"]
    search_fields = ["idempotency_key", "subject_id", "provider_reference"]
    inlines = [HistoryInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Message._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


admin.site.register(Topic)
admin.site.register(Subscription)
admin.site.register(Broadcast)


@admin.register(MessageStatusChange)
class MessageStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["message", "status", "at", "detail"]
    list_filter = ["status"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdmin):
    # The signing secret is never shown; subscriptions change through the API.
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    pass


@admin.register(WebhookDeliveryStatusChange)
class WebhookDeliveryStatusChangeAdmin(ReadOnlyAdmin):
    pass
