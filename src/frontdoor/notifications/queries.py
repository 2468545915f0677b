"""Notifications: reads.

These return personal data (names, addresses, message text). The staff pages that show them
record the read in the audit trail: audit sits beside notifications, so it cannot be called
from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, QuerySet

from frontdoor.notifications.events import EVENTS
from frontdoor.notifications.models import (
    NEEDS_ATTENTION,
    Broadcast,
    Message,
    MessageTemplate,
    Status,
)
from frontdoor.notifications.recipients import Recipient
from frontdoor.notifications.templates import TemplateText


def messages_for_subject(subject_type: str, subject_id: str) -> QuerySet[Message]:
    """Messages about a case (or another subject), newest first, with their status history."""
    found = Message.objects.filter(subject_type=subject_type, subject_id=subject_id)
    return found.prefetch_related("history")


def messages_for_customer(customer_id: int) -> QuerySet[Message]:
    return Message.objects.filter(customer_id=customer_id).prefetch_related("history")


def messages_needing_attention() -> QuerySet[Message]:
    """Messages a person must decide on: outcome unknown, or permanently failed."""
    return (
        Message.objects.filter(status__in=NEEDS_ATTENTION, staff_decided_at__isnull=True)
        .order_by("status_changed_at", "id")
        .prefetch_related("history")
    )


def template_versions(event: str, channel: str, language: str = "en") -> QuerySet[MessageTemplate]:
    return MessageTemplate.objects.filter(event=event, channel=channel, language=language)


def template_preview(*, event: str, channel: str, language: str, subject: str, body: str) -> str:
    """The template rendered against its event's sample data, as an editor sees it."""
    from frontdoor.notifications.actions import render_message

    sample = Recipient(name="Ann Smith", email="ann@example.com", language=language)
    rendered_subject, rendered_body, _ = render_message(
        event=event, channel=channel, language=language, data=EVENTS[event].sample,
        recipient=sample, template=TemplateText(subject, body),
    )
    return f"{rendered_subject}\n\n{rendered_body}" if rendered_subject else rendered_body


@dataclass(frozen=True)
class BroadcastProgress:
    total: int
    written: int
    by_status: dict[str, int]
    sent: int  # sent or delivered
    waiting: int  # queued or failed (retrying)
    planned_finish: datetime | None  # the last message's slot under the throttle

    @property
    def percent_sent(self) -> float:
        return round(100 * self.sent / self.total, 1) if self.total else 100.0


def broadcast_progress(broadcast: Broadcast) -> BroadcastProgress:
    broadcast.refresh_from_db()
    rows = Message.objects.filter(broadcast=broadcast).values("status").annotate(n=Count("id"))
    by_status = {row["status"]: row["n"] for row in rows}
    last = Message.objects.filter(broadcast=broadcast).aggregate(m=Max("next_attempt_at"))["m"]
    return BroadcastProgress(
        total=broadcast.total,
        written=broadcast.queued_count,
        by_status=by_status,
        sent=by_status.get(Status.SENT, 0) + by_status.get(Status.DELIVERED, 0),
        waiting=by_status.get(Status.QUEUED, 0) + by_status.get(Status.FAILED, 0),
        planned_finish=last,
    )
