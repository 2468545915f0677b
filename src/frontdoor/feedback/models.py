"""Feedback: satisfaction survey invitations and responses (one response per resolved case).

Compliments, comments and complaints are cases (types compliment, comment, complaint); this
app opens them (`feedback.actions`) and owns only what cases do not: the survey.
"""

from __future__ import annotations

from django.db import models


class Rating(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", "Very satisfied"
    SATISFIED = "satisfied", "Satisfied"
    NEITHER = "neither", "Neither satisfied nor dissatisfied"
    DISSATISFIED = "dissatisfied", "Dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"


SATISFIED = (Rating.VERY_SATISFIED, Rating.SATISFIED)


class FirstTime(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


class SurveyChannel(models.TextChoices):
    WEB_FORM = "web_form", "Our website"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    FACE_TO_FACE = "face_to_face", "In person at our offices"
    LETTER = "letter", "Letter"
    WEBCHAT = "webchat", "Web chat"
    SOCIAL_MEDIA = "social_media", "Social media"
    APP_API = "app_api", "An app"


class SurveyInvitation(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE,
                                related_name="survey_invitation")
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    invited_at = models.DateTimeField()
    # Why nobody was invited (no customer, or no way to reach them); blank when invited.
    not_sent_reason = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Survey invitation for case {self.case_id}"


class SurveyResponse(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT,
                                related_name="survey_response")
    case_reference = models.CharField(max_length=32)
    ease_of_access = models.CharField(max_length=20, choices=Rating.choices)
    resolved_first_time = models.CharField(max_length=10, choices=FirstTime.choices)
    satisfaction_service = models.CharField(max_length=20, choices=Rating.choices)
    satisfaction_staff = models.CharField(max_length=20, choices=Rating.choices)
    channel_used = models.CharField(max_length=20, choices=SurveyChannel.choices)
    preferred_channel = models.CharField(max_length=20, choices=SurveyChannel.choices)
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField()
    channel = models.CharField(max_length=20, default="web_form")  # how the answers reached us

    class Meta:
        indexes = [models.Index(fields=["submitted_at"])]

    def __str__(self) -> str:
        return f"Survey response for {self.case_reference}"
