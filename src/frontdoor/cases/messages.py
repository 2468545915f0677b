"""What the customer is told when their case moves, through the notifications outbox.

Each function runs inside the action's transaction, so a message is queued exactly when the
change it reports is saved (a rollback queues nothing). The case event's id is the message's
idempotency key: one event, at most one message. A case with no customer, or a customer we
cannot reach on any channel, gets an internal note instead, so staff can see nobody was told.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from frontdoor.cases.models import Case, CaseEvent, EventKind, Outcome, PartyRole
from frontdoor.core.time import to_london
from frontdoor.council.queries import current_council
from frontdoor.customers.queries import recipient_for_customer
from frontdoor.notifications.actions import queue_message
from frontdoor.notifications.errors import NoChannel


def tell_customer(*, case: Case, event: CaseEvent, message: str, data: dict[str, Any],
                  now: datetime) -> bool:
    """Queue `message` (an outbox event name) to the case's customer; False if nobody to tell."""
    party = (
        case.parties.filter(role=PartyRole.CUSTOMER)
        .select_related("customer")
        .order_by("pk")
        .first()
    )
    if party is None or party.customer.erased_at is not None:
        return False
    customer = party.customer
    try:
        queue_message(
            event=message,
            recipient=recipient_for_customer(customer),
            data={"reference": case.reference, **data},
            idempotency_key=f"case-event:{event.pk}",
            subject_ref=("case", case.reference),
            customer_ref=customer.pk,
            now=now,
        )
    except NoChannel:
        CaseEvent.objects.create(
            case=case, at=now, by=None, kind=EventKind.CUSTOMER_NOT_TOLD,
            summary=f"Not told ({message.replace('_', ' ')}): the customer has no email, "
            "mobile number or postal address on record.",
        )
        return False
    return True


def tell_customer_opened(*, case: Case, event: CaseEvent, handed_off: bool, now: datetime) -> bool:
    """Acknowledge a new case (or, after a hand-off, say which team has it) with its date.

    Without a charter date (no deadline standard covers it) the customer is told which team
    has it and that they will hear as soon as possible, never a made-up date.
    """
    council = current_council()
    team_name = council.team(case.team_code).name.get("en")
    if case.promised_at is None:
        return tell_customer(case=case, event=event, message="case_update", now=now, data={
            "update": f"Our {team_name} team has your request and will contact you as soon "
                      "as they can.",
        })
    if handed_off:
        officer = ""
        if case.owner is not None and council.notifications.show_officer_names:
            officer = case.owner.display_name or ""
        return tell_customer(case=case, event=event, message="handed_off", now=now, data={
            "team_name": team_name,
            "officer_name": officer or "A member of the team",
            "promised_date": long_date(case.promised_at),
        })
    return tell_customer(case=case, event=event, message="contact_acknowledged", now=now, data={
        "service_name": council.service(case.service_code).name.get("en"),
        "what_happens_next": f"Our {team_name} team will deal with it.",
        "due_date": long_date(case.promised_at),
    })


def resolved_data(case: Case) -> dict[str, Any]:
    council = current_council()
    return {
        "outcome": Outcome(case.outcome).label + (f". {case.outcome_note}" if case.outcome_note
                                                  else ""),
        "how_to_complain": (
            "If you are unhappy with how we dealt with this, you can complain: reply to this "
            f"message, call us on {council.council.phone}, or use the complaints form on our "
            "website. Quote your reference."
        ),
    }


def long_date(moment: datetime) -> str:
    """"Friday 9 January 2026" (and the time when it is not the end of the working day)."""
    local = to_london(moment)
    text = local.strftime("%A %-d %B %Y")
    if (local.hour, local.minute) not in {(17, 0), (23, 59)}:
        text += local.strftime(" at %-I:%M%p").replace("AM", "am").replace("PM", "pm")
    return text
