"""Contacts: every interaction with the council on every channel, with its timestamps."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    WEB_FORM = "web_form", "Online form"
    WEBCHAT = "webchat", "Web chat"
    SOCIAL_MEDIA = "social_media", "Social media"
    FACE_TO_FACE = "face_to_face", "Face to face"
    VOICEMAIL = "voicemail", "Voicemail"
    SMS = "sms", "Text message"
    APP_API = "app_api", "App or API"


class Direction(models.TextChoices):
    INBOUND = "inbound", "Inbound"
    OUTBOUND = "outbound", "Outbound"


class Outcome(models.TextChoices):
    PENDING = "pending", "Pending"
    RESOLVED_FIRST_CONTACT = "resolved_first_contact", "Resolved at first contact"
    SIGNPOSTED = "signposted", "Signposted"
    CASE_CREATED = "case_created", "Case created"
    CASE_LINKED = "case_linked", "Linked to a case"
    ABANDONED = "abandoned", "Abandoned"


class FailureReason(models.TextChoices):
    CHASING = "chasing", "Chasing progress"
    REPEAT = "repeat", "Repeat contact"
    OUR_ERROR = "our_error", "Our error"
    OTHER = "other", "Other"


class Contact(models.Model):
    """One interaction. Immutable once logged, except its outcome (changes are audited)."""

    channel = models.CharField(max_length=20, choices=Channel.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, default="inbound")
    # Null for an anonymous caller; PROTECT because erasure anonymises, it never deletes.
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    # When the customer contacted us: charter clocks count from here, not from logged_at.
    received_at = models.DateTimeField()
    logged_at = models.DateTimeField()
    offered_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    handling_seconds = models.PositiveIntegerField(null=True, blank=True)
    abandoned = models.BooleanField(default=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts_handled",
    )
    service_code = models.CharField(max_length=64, blank=True)
    summary = models.TextField(blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, default="pending")
    outcome_note = models.TextField(blank=True)
    # No foreign key yet: the knowledge base (catalogue) may key articles by slug or id.
    knowledge_article_id = models.CharField(max_length=64, blank=True)
    signposted_to = models.JSONField(null=True, blank=True)
    failure_demand = models.BooleanField(default=False)
    failure_reason = models.CharField(max_length=20, choices=FailureReason.choices, blank=True)
    # Retried creates (API, Open311, email ingestion) carry the same key and get the first row.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-received_at"], name="contact_customer_timeline"),
            models.Index(fields=["channel", "received_at"], name="contact_channel_received"),
            models.Index(fields=["service_code", "received_at"], name="contact_service_received"),
        ]

    def __str__(self) -> str:
        when = f"{self.received_at:%Y-%m-%d %H:%M}"
        return f"{self.get_channel_display()} contact {self.pk} at {when}"


class InboundSource(models.TextChoices):
    IMAP = "imap", "Mailbox (IMAP)"
    WEBHOOK = "webhook", "Inbound webhook"


class InboundStatus(models.TextChoices):
    PROCESSED = "processed", "Processed"
    UNPROCESSED = "unprocessed", "Unprocessed: needs staff"
    IGNORED = "ignored", "Ignored (automatic message)"
    DUPLICATE = "duplicate", "Duplicate"


class InboundMessage(models.Model):
    """One email as it arrived, kept raw before anything is made from it (never lost).

    The email-ingestion flow (cases.inbound_email) writes it first, then turns it into a
    contact and a case; what could not be taken in stays here, raw, for staff.
    """

    source = models.CharField(max_length=10, choices=InboundSource.choices)
    # The sender's Message-ID (or "sha256:<digest>" of the raw bytes when it has none): the
    # same email delivered twice is taken in once. A duplicate row has no message_id.
    message_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    raw = models.BinaryField()
    raw_size = models.PositiveBigIntegerField(default=0)
    raw_sha256 = models.CharField(max_length=64, blank=True)
    # When our mail server received it (IMAP INTERNALDATE, webhook arrival), never the Date
    # header, which the sender writes.
    received_at = models.DateTimeField()
    from_address = models.CharField(max_length=320, blank=True)
    to_address = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=InboundStatus.choices)
    reason = models.TextField(blank=True)
    # A reply to a resolved case, or from someone who is not on the case: a person decides.
    needs_attention = models.BooleanField(default=False)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="inbound_messages"
    )
    case_reference = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["status", "received_at"], name="inbound_status_received"),
        ]

    def __str__(self) -> str:
        return f"Inbound email {self.pk} ({self.status})"
