"""The events the outbox can tell a customer about, and the fields each one carries.

A template may name only the fields of its event plus the common fields every message has;
`queue_message` refuses data that lacks one of the event's fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from frontdoor.core.errors import InvalidInput

# Filled in by the outbox itself for every message, never by the caller.
COMMON_FIELDS: tuple[str, ...] = ("council_name", "council_phone", "recipient_name")
# Filled in for topic messages (broadcasts) only.
TOPIC_FIELDS: tuple[str, ...] = ("unsubscribe_url", "topic_name")


@dataclass(frozen=True)
class EventSpec:
    name: str
    description: str
    fields: tuple[str, ...]
    # Sample values for template previews: plain strings, dates and datetimes.
    sample: dict[str, str | date | datetime]
    topic: bool = False
    # Sign-in codes and similar go only where they were asked for; None means "any channel".
    channels: tuple[str, ...] | None = None

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(self.fields + COMMON_FIELDS + (TOPIC_FIELDS if self.topic else ()))


def _spec(
    name: str,
    description: str,
    sample: dict[str, str | date | datetime],
    *,
    topic: bool = False,
    channels: tuple[str, ...] | None = None,
) -> EventSpec:
    return EventSpec(name, description, tuple(sample), sample, topic, channels)


_REF = "NN-2026-000123"
EVENTS: dict[str, EventSpec] = {
    spec.name: spec
    for spec in [
        _spec(
            "contact_acknowledged",
            "We have your request: its reference, what happens next and the date we promise.",
            {
                "reference": _REF,
                "service_name": "Report a missed bin collection",
                "what_happens_next": "Our waste team will look at your report.",
                "due_date": date(2026, 1, 12),
            },
        ),
        _spec(
            "handed_off",
            "Your request has gone to the team (or named officer) who will deal with it.",
            {
                "reference": _REF,
                "team_name": "Waste Services",
                "officer_name": "Sam Patel",
                "promised_date": date(2026, 1, 12),
            },
        ),
        _spec(
            "deadline_extended",
            "We need more time: the new date and why.",
            {"reference": _REF, "new_date": date(2026, 1, 26), "reason": "We need a site visit."},
        ),
        _spec(
            "case_update",
            "A message from the officer about the request.",
            {"reference": _REF, "update": "We visited on Tuesday and have ordered a new bin."},
        ),
        _spec(
            "case_resolved",
            "The request is finished: the outcome and how to complain.",
            {
                "reference": _REF,
                "outcome": "We collected your bin on 7 January.",
                "how_to_complain": "Reply to this message or call us within 28 days.",
            },
        ),
        _spec(
            "survey_invitation",
            "How did we do? A link to a short survey.",
            {"reference": _REF, "survey_url": "https://example.gov.uk/survey/abc"},
        ),
        _spec(
            "callback_scheduled",
            "We will call you back.",
            {"reference": _REF, "callback_at": datetime(2026, 1, 6, 14, 0, tzinfo=UTC)},
        ),
        _spec(
            "appointment_booked",
            "Your appointment: when and where.",
            {
                "reference": _REF,
                "appointment_at": datetime(2026, 1, 8, 10, 30, tzinfo=UTC),
                "place": "Council Offices, Holt Road, Cromer",
            },
        ),
        _spec(
            "appointment_changed",
            "Your appointment has moved.",
            {
                "reference": _REF,
                "appointment_at": datetime(2026, 1, 9, 11, 0, tzinfo=UTC),
                "place": "Council Offices, Holt Road, Cromer",
            },
        ),
        _spec(
            "appointment_reminder",
            "A reminder of your appointment.",
            {
                "reference": _REF,
                "appointment_at": datetime(2026, 1, 8, 10, 30, tzinfo=UTC),
                "place": "Council Offices, Holt Road, Cromer",
            },
        ),
        _spec(
            "account_created",
            "Your account is ready.",
            {"sign_in_url": "https://example.gov.uk/sign-in"},
            channels=("email", "sms"),
        ),
        _spec(
            "account_invitation",
            "Staff helped you and invite you to set up My Account (your email filled in).",
            {"sign_up_url": "https://example.gov.uk/account/register/?invitation=abc"},
            channels=("email",),
        ),
        _spec(
            "sign_in_code",
            "A code to sign in.",
            {"code": "482913", "expires_in_minutes": "15"},
            channels=("email", "sms"),
        ),
        _spec(
            "password_reset",
            "A link to set a new password.",
            {"reset_url": "https://example.gov.uk/reset/abc", "expires_in_minutes": "60"},
            channels=("email",),
        ),
        _spec(
            "form_reminder",
            "You started a form and have not sent it yet.",
            {"form_name": "Apply for a garden bin", "resume_url": "https://example.gov.uk/f/1"},
        ),
        _spec(
            "staff_reply",
            "A reply from a member of staff (with their out-of-office notice when away).",
            {"reference": _REF, "officer_name": "Sam Patel", "reply": "Thank you for your photo."},
        ),
        _spec(
            "date_reminder",
            "A reminder of a date on a request (a renewal, a bill).",
            {
                "reference": _REF,
                "what": "Your garden bin subscription",
                "due_date": date(2026, 3, 31),
                "action": "Renew it online before that date.",
            },
        ),
        _spec(
            "topic_broadcast",
            "News on a topic the customer subscribed to (bin changes, flood warnings).",
            {"subject": "Bin collections move by one day", "message": "Collections move."},
            topic=True,
        ),
        _spec(
            "signposted",
            "Another organisation can help: their name, phone number and website.",
            {
                "organisation_name": "Citizens Advice",
                "organisation_phone": "0800 144 8848",
                "organisation_url": "https://www.citizensadvice.org.uk",
                "summary": "Free advice on benefits, debt and housing.",
            },
        ),
    ]
}


def event_spec(name: str) -> EventSpec:
    try:
        return EVENTS[name]
    except KeyError:
        raise InvalidInput("event", "unknown", f"unknown event {name!r}") from None
