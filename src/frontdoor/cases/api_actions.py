"""Cases: changes made through the REST API, each with its webhook deliveries.

Every function here does what the staff console does (through `cases.actions`) and, in the
same transaction, queues the webhook deliveries for partners subscribed to the event.

Signed-in staff go through the ordinary actions with all their role and team checks. API
clients (partner back-office systems holding the `cases:write` scope, checked at the edge)
have no teams, so the ordinary actions refuse them; the `_partner_*` paths below make the
same changes with the same events, audit entries, clock pauses and customer messages.
They reuse the private helpers of `cases.actions` (same bounded context) rather than copy
them. TODO(cases owner): fold an API-client branch into `cases.actions` and drop these.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

from frontdoor.accounts.models import Role
from frontdoor.accounts.permissions import require
from frontdoor.cases import actions, messages
from frontdoor.cases.models import OPEN_STATUSES, Case, CaseEvent, EventKind, Outcome, Status
from frontdoor.charter import actions as charter
from frontdoor.contacts.actions import log_contact, require_known_service
from frontdoor.core.errors import InvalidInput
from frontdoor.notifications.webhooks import queue_webhook_deliveries

if TYPE_CHECKING:
    from frontdoor.accounts.models import User
    from frontdoor.cases.actions import CaseLocation
    from frontdoor.customers.models import Customer


def case_webhook_payload(case: Case) -> dict[str, Any]:
    """What partners are told about a case (no personal data beyond the customer's id)."""
    return {
        "reference": case.reference,
        "status": case.status,
        "case_type": case.case_type,
        "service_code": case.service_code,
        "team_code": case.team_code,
        "received_at": case.received_at,
        "due_at": case.due_at,
        "promised_at": case.promised_at,
        "outcome": case.outcome or None,
        "version": case.version,
    }


def _is_partner(by: User) -> bool:
    return by.role == Role.API_CLIENT


def open_case_via_api(
    *,
    service_code: str,
    title: str,
    description: str,
    received_at: datetime,
    channel: str,
    by: User,
    now: datetime,
    case_type: str | None = None,
    customer: Customer | None = None,
    location: CaseLocation | None = None,
    idempotency_key: str | None = None,
) -> Case:
    """Log the contact and open its case (clocks, acknowledgement, webhooks) in one transaction.

    `case_type` defaults to the service's own; a retry with the same idempotency key returns
    the first case and notifies nobody twice.
    """
    service = require_known_service(service_code)
    with transaction.atomic():
        contact = log_contact(
            channel=channel,
            customer=customer,
            received_at=received_at,
            service_code=service_code,
            summary=title,
            handled_by=None if _is_partner(by) else by,
            now=now,
            idempotency_key=f"{idempotency_key}:contact" if idempotency_key else None,
        )
        case = actions.open_case(
            case_type=case_type or service.case_type,
            service_code=service_code,
            customer=customer,
            contact=contact,
            title=title,
            description=description,
            received_at=received_at,
            channel=channel,
            by=by,
            now=now,
            location=location,
            idempotency_key=idempotency_key,
        )
        queue_webhook_deliveries(event="case.opened", payload=case_webhook_payload(case),
                                 now=now, event_key=f"case.opened:{case.reference}")
    return case


def update_case_status_via_api(
    *,
    case: Case,
    status: str,
    by: User,
    now: datetime,
    expected_version: int,
    note: str | None = None,
    outcome: str | None = None,
) -> Case:
    """Move the case to `status` (resolved needs an outcome); partners are told by webhook."""
    with transaction.atomic():
        if status == Status.RESOLVED:
            if not outcome:
                raise InvalidInput("outcome", "required", "To resolve a case, give its outcome")
            if _is_partner(by):
                case = _partner_resolve(case=case, outcome=outcome, note=note or "", by=by,
                                        now=now, expected_version=expected_version)
            else:
                case = actions.resolve_case(case=case, outcome=outcome, note=note or "", by=by,
                                            now=now, expected_version=expected_version)
        elif _is_partner(by):
            case = _partner_change_status(case=case, status=status, by=by, now=now,
                                          expected_version=expected_version, note=note)
        else:
            case = actions.change_status(case=case, status=status, by=by, now=now,
                                         expected_version=expected_version, note=note)
        payload = case_webhook_payload(case)
        key = f"{case.reference}:v{case.version}"
        queue_webhook_deliveries(event="case.status_changed", payload=payload, now=now,
                                 event_key=f"case.status_changed:{key}")
        if case.status == Status.RESOLVED:
            queue_webhook_deliveries(event="case.resolved", payload=payload, now=now,
                                     event_key=f"case.resolved:{key}")
    return case


def add_case_message_via_api(
    *, case: Case, text: str, customer_visible: bool, by: User, now: datetime
) -> CaseEvent:
    """A message to the customer (sent by the outbox, webhook `case.message`) or a staff note."""
    with transaction.atomic():
        if not customer_visible:
            if _is_partner(by):
                text = actions._required_text(text, "text", "Write the note")
                return actions._record(case, EventKind.NOTE_ADDED, by=by, at=now, summary=text)
            return actions.add_internal_note(case=case, text=text, by=by, now=now)
        if _is_partner(by):
            event = _partner_customer_update(case=case, text=text, by=by, now=now)
        else:
            event = actions.add_customer_update(case=case, text=text, by=by, now=now)
        payload = {**case_webhook_payload(case), "message": text.strip()}
        queue_webhook_deliveries(event="case.message", payload=payload, now=now,
                                 event_key=f"case.message:{event.pk}")
    return event


# ------------------------------------------------------------------ API clients' paths


def _partner_change_status(
    *, case: Case, status: str, by: User, now: datetime, expected_version: int,
    note: str | None,
) -> Case:
    require(by, "api.use")
    if status == Status.ASSIGNED:
        raise InvalidInput("status", "needs_owner", "To assign a case, choose its owner")
    if status not in Status.values or status == Status.CLOSED:
        raise InvalidInput("status", "invalid", f"{status!r} is not a status you can set")
    fresh = actions._lock(case, expected_version)
    if fresh.status not in OPEN_STATUSES:
        raise InvalidInput("status", "not_open", f"{fresh.reference} is not open")
    actions._require_transition(fresh, status)
    leaving_wait = fresh.status == Status.WAITING_ON_CUSTOMER
    entering_wait = status == Status.WAITING_ON_CUSTOMER
    before = fresh.status
    fresh.status = status
    if entering_wait:
        charter.pause_clocks(case_id=fresh.pk, at=now)
        actions._record(fresh, EventKind.CLOCK_PAUSED, by=by, at=now,
                        summary="Clock paused while we wait for the customer")
    if leaving_wait:
        charter.resume_clocks(case_id=fresh.pk, at=now)
        actions._refresh_due_dates(fresh, move_promise=True)
        actions._record(fresh, EventKind.CLOCK_RESUMED, by=by, at=now,
                        summary=actions._due_summary("Clock restarted", fresh.promised_at),
                        data={"due_at": fresh.due_at, "promised_at": fresh.promised_at},
                        customer_visible=fresh.promised_at is not None)
    actions._save(fresh, ["status"])
    actions._record(fresh, EventKind.STATUS_CHANGED, by=by, at=now,
                    summary=fresh.get_status_display(), data={"before": before, "after": status},
                    customer_visible=True)
    if note and note.strip():
        actions._record(fresh, EventKind.NOTE_ADDED, by=by, at=now, summary=note.strip(),
                        action="case.note_added")
    return actions._sync(case, fresh)


def _partner_resolve(
    *, case: Case, outcome: str, note: str, by: User, now: datetime, expected_version: int
) -> Case:
    require(by, "api.use")
    allowed = actions.OUTCOMES_FOR_TYPE.get(case.case_type, actions.GENERAL_OUTCOMES)
    if outcome not in allowed:
        raise InvalidInput("outcome", "invalid",
                           f"{outcome!r} is not an outcome for this case (use: "
                           f"{', '.join(sorted(allowed))})")
    fresh = actions._lock(case, expected_version)
    actions._require_open(fresh)
    actions._require_transition(fresh, Status.RESOLVED)
    before = fresh.status
    fresh.status = Status.RESOLVED
    fresh.outcome = outcome
    fresh.outcome_note = note.strip()
    fresh.resolved_at = now
    charter.stop_clocks(case_id=fresh.pk, at=now)
    actions._refresh_due_dates(fresh, move_promise=False)
    actions._save(fresh, ["status", "outcome", "outcome_note", "resolved_at"])
    resolved = actions._record(
        fresh, EventKind.RESOLVED, by=by, at=now,
        summary=f"Resolved: {Outcome(outcome).label}. {fresh.outcome_note}".rstrip(". ") + ".",
        data={"before": before, "outcome": outcome, "clocks": actions._clock_outcomes(fresh)},
        customer_visible=True,
    )
    messages.tell_customer(case=fresh, event=resolved, message="case_resolved",
                           data=messages.resolved_data(fresh), now=now)
    return actions._sync(case, fresh)


def _partner_customer_update(*, case: Case, text: str, by: User, now: datetime) -> CaseEvent:
    require(by, "api.use")
    text = actions._required_text(text, "text", "Write the update for the customer")
    event = actions._record(case, EventKind.MESSAGE_SENT, by=by, at=now, summary=text,
                            customer_visible=True)
    messages.tell_customer(case=case, event=event, message="case_update", data={"update": text},
                           now=now)
    return event

