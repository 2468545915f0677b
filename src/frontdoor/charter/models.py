"""Customer Charter: models."""

from __future__ import annotations

from django.db import models


class ClockOutcome(models.TextChoices):
    MET = "met", "Met"
    MISSED = "missed", "Missed"


class Clock(models.Model):
    """One charter deadline on one case: its standard as it was, start, pauses and due time."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="clocks")
    standard_id = models.CharField(max_length=64)
    council_version = models.ForeignKey(
        "council.CouncilVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField()  # the standard as it was when the clock started
    calendar_kind = models.CharField(max_length=16)  # charter | statutory | statutory-uk
    clock_name = models.CharField(max_length=16)  # acknowledge | respond | callback | review
    received_at = models.DateTimeField()
    event_at = models.DateTimeField(null=True, blank=True)  # the runs_from event, once it happens
    started_at = models.DateTimeField()  # the effective start: a restart moves it
    pauses = models.JSONField(default=list, blank=True)  # [[paused_at_iso, resumed_at_iso|null]]
    extensions = models.JSONField(default=list, blank=True)  # [{due, reason, at, by}]
    due_at = models.DateTimeField()
    provisional = models.BooleanField(default=False)
    stopped_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=ClockOutcome.choices, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["stopped_at", "due_at"], name="charter_clock_queue")]

    def __str__(self) -> str:
        return f"{self.standard_id} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.stopped_at is None

    @property
    def is_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None
