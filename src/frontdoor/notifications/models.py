"""Notifications: the outbox (messages and their status history), templates and broadcasts."""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    LETTER = "letter", "Letter"


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed, will try again"
    UNKNOWN = "unknown", "Unknown: staff to decide"
    PERMANENTLY_FAILED = "permanently_failed", "Permanently failed"
    CANCELLED = "cancelled", "Cancelled"


# Statuses a sender may claim; a due message in one of these is sent.
CLAIMABLE = (Status.QUEUED, Status.FAILED)
# Statuses that need a person: shown to staff until someone decides.
NEEDS_ATTENTION = (Status.UNKNOWN, Status.PERMANENTLY_FAILED)


class Message(models.Model):
    """One message to one person on one channel, written in the transaction that caused it."""

    idempotency_key = models.CharField(max_length=200, unique=True)
    event = models.CharField(max_length=50)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    provider = models.CharField(max_length=10)  # smtp | notify | print
    language = models.CharField(max_length=5, default="en")
    # What we knew about the person when the message was queued (name, email, phone, address).
    recipient = models.JSONField()
    formats = models.JSONField(default=dict)  # {"large_print": bool, "braille": bool}
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    template_version = models.PositiveIntegerField(null=True, blank=True)
    # Letters: paths under MEDIA_ROOT ({"pdf": …, "brf": …}), made on the first send attempt.
    attachments = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    priority = models.SmallIntegerField(default=0)  # higher first: emergency broadcasts
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    # The last attempt got no answer: ask the provider before trying again.
    outcome_uncertain = models.BooleanField(default=False)
    last_error = models.TextField(blank=True)
    provider_reference = models.CharField(max_length=100, blank=True, db_index=True)
    subject_type = models.CharField(max_length=30, blank=True)
    subject_id = models.CharField(max_length=60, blank=True)
    customer_id = models.BigIntegerField(null=True, blank=True)  # customers sits above us
    broadcast = models.ForeignKey(
        "notifications.Broadcast", null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField()
    status_changed_at = models.DateTimeField()
    staff_decided_at = models.DateTimeField(null=True, blank=True)
    staff_decided_by = models.CharField(max_length=150, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_msg_due"),
            models.Index(fields=["subject_type", "subject_id"], name="notif_msg_subject"),
            models.Index(fields=["customer_id"], name="notif_msg_customer"),
            models.Index(fields=["broadcast", "status"], name="notif_msg_broadcast"),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} by {self.channel} ({self.status})"


class MessageStatusChange(models.Model):
    """One step in a message's life: what it became, when, and why."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField()
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%Y-%m-%d %H:%M}"


class MessageTemplate(models.Model):
    """One version of the words for an event on a channel in a language."""

    event = models.CharField(max_length=50)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    language = models.CharField(max_length=5, default="en")
    version = models.PositiveIntegerField()
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    created_by_label = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    is_current = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel", "language", "version"], name="notif_tpl_version"
            ),
            models.UniqueConstraint(
                fields=["event", "channel", "language"],
                condition=models.Q(is_current=True),
                name="notif_tpl_one_current",
            ),
        ]
        ordering = ["event", "channel", "language", "-version"]

    def __str__(self) -> str:
        return f"{self.event} / {self.channel} / {self.language} v{self.version}"


class Topic(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    """A person's wish to hear about a topic (optionally only in one ward) on one channel."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="subscriptions")
    customer_id = models.BigIntegerField(null=True, blank=True)
    recipient = models.JSONField()  # name, email, phone_e164, address_lines, language
    area = models.CharField(max_length=60, blank=True)  # a ward code; blank = everywhere
    channel = models.CharField(max_length=10, choices=Channel.choices)
    unsubscribe_token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["topic", "area"], name="notif_sub_topic_area")]

    def __str__(self) -> str:
        return f"{self.topic_id} by {self.channel}"


class BroadcastStatus(models.TextChoices):
    FANNING_OUT = "fanning_out", "Writing messages"
    SENDING = "sending", "Sending"


class Broadcast(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT)
    area = models.CharField(max_length=60, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    emergency = models.BooleanField(default=False)
    created_by_label = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=BroadcastStatus.choices, default=BroadcastStatus.FANNING_OUT
    )
    total = models.PositiveIntegerField(default=0)  # subscribers when it started
    queued_count = models.PositiveIntegerField(default=0)  # messages written so far
    fanout_cursor = models.BigIntegerField(default=0)  # last subscription id written
    send_from = models.DateTimeField()  # the first message's slot
    per_minute = models.PositiveIntegerField()  # the throttle it was planned with

    def __str__(self) -> str:
        return f"{self.subject} ({self.topic_id})"


# ------------------------------------------------------------------------------- webhooks


class WebhookSubscription(models.Model):
    """A partner system's URL that receives signed case events.

    `secret` signs each delivery (HMAC-SHA256); it must be stored to sign with, so it is
    kept like a provider credential. `client` names the API client ("key:<ApiKey id>") that
    owns the subscription (accounts sits above us, so no foreign key).
    """

    client = models.CharField(max_length=80, db_index=True)
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100)
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.url} ({', '.join(self.events)})"


class WebhookDeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed, will try again"
    GAVE_UP = "gave_up", "Gave up"


class WebhookDelivery(models.Model):
    """One event for one subscription, written in the transaction of the change it reports."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40)
    # One delivery per subscription per happening (a retried request never sends twice).
    event_key = models.CharField(max_length=200)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=WebhookDeliveryStatus.choices, default=WebhookDeliveryStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_key"], name="one_delivery_per_event"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} -> {self.subscription_id} ({self.status})"


class WebhookDeliveryStatusChange(models.Model):
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(max_length=10, choices=WebhookDeliveryStatus.choices)
    at = models.DateTimeField()
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%Y-%m-%d %H:%M}"
