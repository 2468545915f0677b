"""Message templates: the shipped plain-English defaults, placeholders and rendering.

Placeholders are written `((field))` as in GOV.UK Notify. A template may name only its
event's fields (see events.py); saving one that names anything else is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from frontdoor.core.errors import InvalidInput
from frontdoor.core.time import to_london
from frontdoor.notifications.events import EventSpec, event_spec

PLACEHOLDER = re.compile(r"\(\(\s*([A-Za-z0-9_]+)\s*\)\)")
CHANNELS = ("email", "sms", "letter")


@dataclass(frozen=True)
class TemplateText:
    subject: str
    body: str
    version: int | None = None  # None: the default shipped in code


_SIGN_OFF = "\n\n((council_name))\n((council_phone))"

# event -> (subject, email and letter body, text message body)
_DEFAULTS: dict[str, tuple[str, str, str]] = {
    "contact_acknowledged": (
        "We have your request ((reference))",
        "Dear ((recipient_name))\n\nThank you for contacting us about: ((service_name)).\n\n"
        "Your reference is ((reference)).\n\nWhat happens next: ((what_happens_next))\n\n"
        "We will reply by ((due_date)).",
        "((council_name)): we have your request ((reference)). "
        "We will reply by ((due_date)).",
    ),
    "handed_off": (
        "Your request ((reference)) is with our ((team_name)) team",
        "Dear ((recipient_name))\n\nYour request ((reference)) is now with our ((team_name)) "
        "team. ((officer_name)) will deal with it.\n\nWe promise to reply by ((promised_date)).",
        "((council_name)): your request ((reference)) is with ((team_name)). "
        "We will reply by ((promised_date)).",
    ),
    "deadline_extended": (
        "We need more time for ((reference))",
        "Dear ((recipient_name))\n\nWe are sorry, but we need more time to deal with "
        "your request ((reference)).\n\nWhy: ((reason))\n\nWe will now reply by ((new_date)).",
        "((council_name)): we need more time for ((reference)). "
        "We will reply by ((new_date)).",
    ),
    "case_update": (
        "News about your request ((reference))",
        "Dear ((recipient_name))\n\nThere is news about your request ((reference)).\n\n"
        "((update))",
        "((council_name)) about ((reference)): ((update))",
    ),
    "case_resolved": (
        "We have finished dealing with ((reference))",
        "Dear ((recipient_name))\n\nWe have finished dealing with your request "
        "((reference)).\n\nWhat we did: ((outcome))\n\nIf you are not happy: "
        "((how_to_complain))",
        "((council_name)): we have finished dealing with ((reference)). ((outcome))",
    ),
    "survey_invitation": (
        "How did we do?",
        "Dear ((recipient_name))\n\nPlease tell us how we did with your request "
        "((reference)). It takes 2 minutes:\n\n((survey_url))",
        "((council_name)): how did we do with ((reference))? Tell us: ((survey_url))",
    ),
    "callback_scheduled": (
        "We will call you back",
        "Dear ((recipient_name))\n\nWe will call you back about ((reference)) on "
        "((callback_at)).",
        "((council_name)): we will call you about ((reference)) on ((callback_at)).",
    ),
    "appointment_booked": (
        "Your appointment on ((appointment_at))",
        "Dear ((recipient_name))\n\nYour appointment is on ((appointment_at)) at ((place)).\n\n"
        "Your reference is ((reference)). Call us if you cannot come.",
        "((council_name)): your appointment is on ((appointment_at)) at ((place)).",
    ),
    "appointment_changed": (
        "Your appointment has moved to ((appointment_at))",
        "Dear ((recipient_name))\n\nYour appointment has moved. It is now on "
        "((appointment_at)) at ((place)).\n\nYour reference is ((reference)).",
        "((council_name)): your appointment has moved to ((appointment_at)) at ((place)).",
    ),
    "appointment_reminder": (
        "Reminder: your appointment on ((appointment_at))",
        "Dear ((recipient_name))\n\nThis is a reminder that your appointment is on "
        "((appointment_at)) at ((place)).\n\nCall us if you cannot come.",
        "((council_name)) reminder: your appointment is on ((appointment_at)) at ((place)).",
    ),
    "account_created": (
        "Your account is ready",
        "Dear ((recipient_name))\n\nYour account is ready. Sign in here:\n\n((sign_in_url))",
        "((council_name)): your account is ready. Sign in at ((sign_in_url))",
    ),
    "account_invitation": (
        "Set up your ((council_name)) account",
        "Dear ((recipient_name))\n\nThank you for contacting us today. Next time, you can do "
        "this yourself online, at any time, with an account. With an account you can see how "
        "your requests are going.\n\nTo set one up, use this link. We have filled in your "
        "email address for you:\n\n((sign_up_url))\n\nYou choose your own password. We will "
        "never ask you for it.\n\nIf you do not want an account, you can ignore this email. "
        "You can still contact us by phone or in person.",
        "((council_name)): set up your account at ((sign_up_url))",
    ),
    "sign_in_code": (
        "Your sign-in code",
        "Your sign-in code is ((code)).\n\nIt works for ((expires_in_minutes)) minutes. "
        "If you did not ask for it, you can ignore this message.",
        "((code)) is your ((council_name)) sign-in code. It works for "
        "((expires_in_minutes)) minutes.",
    ),
    "password_reset": (
        "Set a new password",
        "Dear ((recipient_name))\n\nUse this link to set a new password. It works for "
        "((expires_in_minutes)) minutes:\n\n((reset_url))\n\n"
        "If you did not ask for this, you can ignore this message.",
        "((council_name)): set a new password at ((reset_url))",
    ),
    "form_reminder": (
        "You have not finished: ((form_name))",
        "Dear ((recipient_name))\n\nYou started a form but have not sent it yet: "
        "((form_name)).\n\nCarry on here:\n\n((resume_url))",
        "((council_name)): you have not finished ((form_name)). Carry on: ((resume_url))",
    ),
    "staff_reply": (
        "Reply about your request ((reference))",
        "Dear ((recipient_name))\n\n((reply))\n\n((officer_name))",
        "((council_name)) about ((reference)): ((reply))",
    ),
    "date_reminder": (
        "Reminder: ((what)) is due on ((due_date))",
        "Dear ((recipient_name))\n\nThis is a reminder: ((what)) is due on ((due_date)).\n\n"
        "((action))",
        "((council_name)) reminder: ((what)) is due on ((due_date)). ((action))",
    ),
    "topic_broadcast": (
        "((subject))",
        "((message))\n\nYou get these messages about ((topic_name)) because you asked for "
        "them. Stop them here: ((unsubscribe_url))",
        "((council_name)): ((message)) Stop: ((unsubscribe_url))",
    ),
    "signposted": (
        "Who can help you: ((organisation_name))",
        "Dear ((recipient_name))\n\nThank you for contacting us. ((organisation_name)) can "
        "help you with this.\n\nThey help with: ((summary))\n\nPhone: ((organisation_phone))"
        "\nWebsite: ((organisation_url))",
        "((council_name)): ((organisation_name)) can help. Phone ((organisation_phone)) or "
        "see ((organisation_url))",
    ),
}


def default_template(event: str, channel: str) -> TemplateText:
    subject, body, sms = _DEFAULTS[event]
    if channel == "sms":
        return TemplateText("", sms)
    return TemplateText(subject, body + _SIGN_OFF)


def placeholders_in(text: str) -> set[str]:
    return {m.group(1) for m in PLACEHOLDER.finditer(text)}


def check_placeholders(spec: EventSpec, *, subject: str, body: str) -> None:
    """Refuse a template that names a field its event does not have."""
    for field_name, text in (("subject", subject), ("body", body)):
        unknown = sorted(placeholders_in(text) - spec.placeholders)
        if unknown:
            raise InvalidInput(
                field_name,
                "unknown_placeholder",
                f"The event “{spec.name}” has no "
                + ", ".join(f"(({u}))" for u in unknown)
                + ". You can use: "
                + ", ".join(f"(({p}))" for p in sorted(spec.placeholders))
                + ".",
            )
    stray = re.sub(PLACEHOLDER, "", subject + body)
    if "((" in stray or "))" in stray:
        raise InvalidInput(
            "body", "broken_placeholder", "A placeholder is not closed: write it as ((field))."
        )


def format_value(value: Any) -> str:
    """Dates and times the way people read them: "Monday 12 January 2026", "2:30pm"."""
    if isinstance(value, datetime):
        local = to_london(value)
        clock = local.strftime("%-I:%M%p").lower().replace(":00", "")
        return f"{local:%A %-d %B %Y} at {clock}"
    if isinstance(value, date):
        return f"{value:%A %-d %B %Y}"
    return "" if value is None else str(value)


def render(text: str, values: Mapping[str, Any]) -> str:
    return PLACEHOLDER.sub(lambda m: format_value(values.get(m.group(1), "")), text)


def require_event_fields(event: str, data: Mapping[str, Any]) -> EventSpec:
    spec = event_spec(event)
    missing = [f for f in spec.fields if f not in data]
    if missing:
        raise InvalidInput(
            "data",
            "missing_field",
            f"The event “{event}” needs " + ", ".join(missing) + " in its data.",
        )
    return spec


def out_of_office_notice(notice: Mapping[str, Any], *, officer_name: str) -> str:
    """The paragraph added to a staff reply while the officer is away."""
    lines = [
        f"{officer_name or 'The officer'} is away and back on "
        f"{format_value(notice.get('return_date'))}."
    ]
    contacts = notice.get("urgent_contacts") or []
    if contacts:
        lines.append("If it is urgent, contact:")
        for contact in contacts:
            if isinstance(contact, Mapping):
                lines.append(
                    "- " + ", ".join(str(v) for v in contact.values() if v not in (None, ""))
                )
            else:
                lines.append(f"- {contact}")
    return "\n".join(lines)
