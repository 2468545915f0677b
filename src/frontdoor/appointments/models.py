"""Appointments: a booked time at an office (face to face) or a phone call-back, and its history.

A slot's places are "seats" 1..capacity; a unique constraint on (office, kind, start, seat)
means two people can never hold the same place, however many book at once. Cancelling frees
the seat (it becomes NULL), so the place can be booked again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone call"


class Status(models.TextChoices):
    BOOKED = "booked", "Booked"
    CHANGED = "changed", "Changed"
    CANCELLED = "cancelled", "Cancelled"
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "Did not come"


ACTIVE_STATUSES = (Status.BOOKED, Status.CHANGED)


class Appointment(models.Model):
    # Random (APT-7K3QX9M2), so a reference says nothing about how many others there are.
    reference = models.CharField(max_length=16, unique=True)
    office_code = models.CharField(max_length=64)
    service_code = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    seat = models.PositiveSmallIntegerField(null=True, blank=True)
    customer = models.ForeignKey("customers.Customer", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="appointments")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="appointments")
    name = models.CharField(max_length=200)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=20, blank=True)  # E.164
    about = models.TextField(blank=True)
    manage_token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    reminder_key = models.CharField(max_length=120, blank=True)  # the reminder now queued
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office_code", "kind", "starts_at", "seat"],
                condition=Q(seat__isnull=False),
                name="appointment_one_person_per_seat",
            ),
        ]
        indexes = [models.Index(fields=["office_code", "kind", "starts_at"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class EventKind(models.TextChoices):
    BOOKED = "booked", "Booked"
    CHANGED = "changed", "Changed"
    CANCELLED = "cancelled", "Cancelled"
    ARRIVED = "arrived", "Arrived"
    SEEN = "seen", "Seen"
    NO_SHOW = "no_show", "Did not come"


class AppointmentEvent(models.Model):
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    by_label = models.CharField(max_length=40)  # "resident", "guest link", "staff"
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    summary = models.TextField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"
