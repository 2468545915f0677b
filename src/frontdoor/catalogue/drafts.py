"""Online forms a resident started and has not sent yet (for one friendly reminder).

A draft is kept only when the resident gave an email address (or is signed in): the answers
so far, when it was started and last touched, and whether it was sent or a reminder went.
The actions live in `frontdoor.cases.web_forms` (save_form_draft, send_abandoned_form_reminders).
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class FormDraft(models.Model):
    # The random key in the resident's session and in the "carry on" link we email them.
    token = models.CharField(max_length=64, unique=True)
    service_code = models.CharField(max_length=64)
    form_code = models.CharField(max_length=64)
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=200, blank=True)
    answers = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["submitted_at", "reminded_at", "updated_at"],
                         name="form_draft_due_reminder"),
        ]

    def __str__(self) -> str:
        return f"{self.service_code}/{self.form_code} draft {self.pk}"
