"""Cases: functions that change state.

Every action takes who acts (`by`: a signed-in user, or a `cases.actors.Actor` for a guest,
a partner system or the system itself) and `now`, checks the permission matrix and the team
scope, records a CaseEvent and an audit entry, and runs in one transaction. The events that
partners subscribe to (opened, status changed, resolved, closed, reopened, a message to the
customer) queue their webhook deliveries in that transaction, whichever channel made them. Actions a
person takes on a case they have open in front of them take `expected_version`: if someone
else changed the case since, they raise Conflict and save nothing.

Scope: changing team work needs membership of the case's team (`team_codes_for`);
reassigning someone else's case needs a leader's or manager's place in that team. Notes and
linking contacts only need the case to be visible (agents see every case). An API client
works on the cases its key can see, with the `case.*_via_api` permissions; a resident on
cases made through or linked to their My Account; a guest on the case their link is for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from frontdoor.accounts.models import Role
from frontdoor.accounts.permissions import require
from frontdoor.accounts.queries import led_team_codes, resident_account_of, team_codes_for
from frontdoor.audit.actions import record_change
from frontdoor.cases import messages
from frontdoor.cases.actors import Actor, ActorKind, as_actor
from frontdoor.cases.api_queries import case_webhook_payload, cases_visible_to_api
from frontdoor.cases.models import (
    ALLOWED_TRANSITIONS,
    OPEN_STATUSES,
    Attachment,
    AttachmentSource,
    Case,
    CaseAccountLink,
    CaseContact,
    CaseEvent,
    CaseParty,
    CaseSequence,
    CaseType,
    EventKind,
    Outcome,
    ParentRelation,
    PartyRole,
    Status,
)
from frontdoor.cases.queries import cases_visible_to
from frontdoor.cases.uploads import CheckedFile
from frontdoor.charter import actions as charter
from frontdoor.charter.calendar import calendars_for
from frontdoor.charter.models import Clock
from frontdoor.contacts.actions import (
    record_contact_outcome,
    require_known_service,
    surviving_customer,
    validate_received_at,
)
from frontdoor.contacts.models import Channel, Contact
from frontdoor.contacts.models import Outcome as ContactOutcome
from frontdoor.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from frontdoor.core.time import require_aware, to_london
from frontdoor.council.queries import current_council
from frontdoor.notifications import actions as notifications
from frontdoor.notifications.models import Message
from frontdoor.notifications.webhooks import queue_webhook_deliveries

if TYPE_CHECKING:
    from frontdoor.accounts.models import User
    from frontdoor.customers.models import Customer

CASEWORK_ROLES = frozenset({Role.CASE_OFFICER, Role.TEAM_LEADER, Role.MANAGER})

# The permission an API client or a resident needs for a case action (staff use the action's
# own name); an action missing here is not theirs to do.
VIA_API: dict[str, str] = {
    "case.update_status": "case.update_status_via_api",
    "case.pause_clock": "case.update_status_via_api",
    "case.resolve": "case.update_status_via_api",
    "case.message_customer": "case.add_message_via_api",
    "case.add_internal_note": "case.add_message_via_api",
}
BY_RESIDENT: dict[str, str] = {
    "case.add_information": "case.add_information",
    "case.reopen": "case.reopen_own_request",
}
# The webhook events each kind of case event is announced as (notifications.webhooks).
WEBHOOKS_FOR_EVENT: dict[str, tuple[str, ...]] = {
    EventKind.OPENED: ("case.opened",),
    EventKind.STATUS_CHANGED: ("case.status_changed",),
    EventKind.RESOLVED: ("case.status_changed", "case.resolved"),
    EventKind.CLOSED: ("case.status_changed",),
    EventKind.REOPENED: ("case.status_changed",),
    EventKind.MESSAGE_SENT: ("case.message",),  # the payload carries the message
}

# Outcomes that make sense for each kind of case; anything not listed uses GENERAL_OUTCOMES.
GENERAL_OUTCOMES = frozenset(
    {
        Outcome.DONE,
        Outcome.DUPLICATE,
        Outcome.NOT_OUR_RESPONSIBILITY,
        Outcome.NO_FURTHER_ACTION,
        Outcome.WITHDRAWN,
        Outcome.INFORMATION_PROVIDED,
    }
)
OUTCOMES_FOR_TYPE: dict[str, frozenset[str]] = {
    CaseType.COMPLAINT: frozenset(
        {
            Outcome.UPHELD,
            Outcome.PARTLY_UPHELD,
            Outcome.NOT_UPHELD,
            Outcome.WITHDRAWN,
            Outcome.DUPLICATE,
        }
    ),
    CaseType.FOI: frozenset(
        {
            Outcome.INFORMATION_PROVIDED,
            Outcome.INFORMATION_PARTLY_PROVIDED,
            Outcome.INFORMATION_WITHHELD,
            Outcome.INFORMATION_NOT_HELD,
            Outcome.WITHDRAWN,
            Outcome.DUPLICATE,
        }
    ),
    CaseType.CALLBACK: frozenset(
        {Outcome.CALLED_BACK, Outcome.NO_ANSWER, Outcome.WITHDRAWN, Outcome.DUPLICATE}
    ),
}
OUTCOMES_FOR_TYPE[CaseType.SAR] = OUTCOMES_FOR_TYPE[CaseType.FOI]


@dataclass(frozen=True)
class CaseLocation:
    """Where a reported problem is: coordinates (WGS84), an address, UPRN and USRN."""

    latitude: Decimal | float | str | None = None
    longitude: Decimal | float | str | None = None
    address: str = ""
    uprn: int | None = None
    usrn: int | None = None


# ----------------------------------------------------------------------------- opening


def open_case(
    *,
    case_type: str,
    service_code: str,
    customer: Customer | None = None,
    contact: Contact | None = None,
    title: str,
    description: str,
    received_at: datetime,
    channel: str,
    by: User | Actor | None,
    now: datetime,
    team_code: str | None = None,
    owner: User | None = None,
    complaint_stage: int | None = None,
    location: CaseLocation | None = None,
    idempotency_key: str | None = None,
    account: User | None = None,
    tracking_token_hash: str = "",
    form_answers: Mapping[str, Any] | None = None,
    related_to: Case | None = None,
    acknowledge: bool = True,
    opened_data: Mapping[str, Any] | None = None,
) -> Case:
    """Open a case: reference, parties, contact link, charter clocks, due and promised dates.

    `by` None is the system (email ingestion); residents and API clients open cases through
    the portal and API. `account` is the My Account that follows the case, and
    `tracking_token_hash` a guest's private link to it; `related_to` is the case it follows
    on from (a stage 2 review of a complaint). Without `acknowledge` the customer is not told
    (the council's own work). A retry with the same idempotency key returns the first case.
    """
    _require_may_open(as_actor(by))
    if idempotency_key:
        existing = Case.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            case = _open_case(
                case_type=case_type,
                service_code=service_code,
                customer=customer,
                contact=contact,
                title=title,
                description=description,
                received_at=received_at,
                channel=channel,
                by=by,
                now=now,
                team_code=team_code,
                owner=owner,
                complaint_stage=complaint_stage,
                location=location,
                idempotency_key=idempotency_key,
                account=account,
                tracking_token_hash=tracking_token_hash,
                form_answers=form_answers,
                related_to=related_to,
                opened_data=opened_data,
            )
            if acknowledge:
                messages.tell_customer_opened(case=case, event=_opened_event(case),
                                              handed_off=False, now=now)
            return case
    except IntegrityError:
        if idempotency_key:
            existing = Case.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise


def hand_off_contact(
    *,
    contact: Contact,
    case_type: str,
    service_code: str,
    note: str,
    by: User,
    now: datetime,
    owner: User | None = None,
) -> Case:
    """Front-line hand-off: a case for the owning team, the agent's note as its first note.

    The returned case carries the team, owner and promised date for the agent to read out.
    """
    require(by, "case.hand_off")
    note = note.strip()
    if not note:
        raise InvalidInput("note", "required", "Write a note for the team that picks this up")
    service = require_known_service(service_code)
    with transaction.atomic():
        case = _open_case(
            case_type=case_type,
            service_code=service_code,
            customer=contact.customer,
            contact=contact,
            title=service.name.get("en"),
            description=contact.summary,
            received_at=contact.received_at,
            channel=contact.channel,
            by=by,
            now=now,
            owner=owner,
        )
        _record(case, EventKind.NOTE_ADDED, by=by, at=now, summary=note, action="case.note_added")
        messages.tell_customer_opened(case=case, event=_opened_event(case), handed_off=True,
                                      now=now)
    return case


def request_callback(*, contact: Contact, note: str, by: User, now: datetime) -> Case:
    """A callback case, due by the charter's callback standard, for the contact's service.

    Without a service on the contact it goes to the council's callback service.
    """
    require(by, "case.hand_off")
    service_code = contact.service_code or _callback_service_code()
    note = note.strip()
    if not note:
        raise InvalidInput("note", "required", "Say what the customer wants to be called about")
    with transaction.atomic():
        case = _open_case(
            case_type=CaseType.CALLBACK,
            service_code=service_code,
            customer=contact.customer,
            contact=contact,
            title="Call the customer back",
            description=contact.summary or note,
            received_at=contact.received_at,
            channel=contact.channel,
            by=by,
            now=now,
        )
        _record(case, EventKind.NOTE_ADDED, by=by, at=now, summary=note, action="case.note_added")
        if case.promised_at is not None:
            messages.tell_customer(case=case, event=_opened_event(case),
                                   message="callback_scheduled",
                                   data={"callback_at": messages.long_date(case.promised_at)},
                                   now=now)
    return case


# --------------------------------------------------------------------------- ownership


def assign_case(
    *, case: Case, owner: User, by: User, now: datetime, expected_version: int
) -> Case:
    """Give the case a named owner in its team (taking it yourself or, as a leader, anyone's)."""
    with transaction.atomic():
        fresh = _lock(case, expected_version)
        _assign(fresh, owner=owner, by=by, now=now)
    return _sync(case, fresh)


def bulk_assign(
    *,
    cases: Iterable[Case],
    owner: User,
    by: User,
    now: datetime,
    expected_versions: Mapping[int, int] | None = None,
) -> list[Case]:
    """Assign several cases at once (a team leader sharing out the queue); all or nothing.

    `expected_versions` (case id -> version seen in the queue) makes it a Conflict, with
    nothing saved, if any of them changed since.
    """
    done: list[Case] = []
    seen = expected_versions or {}
    with transaction.atomic():
        for case in cases:
            fresh = _lock(case, seen.get(case.pk))
            _assign(fresh, owner=owner, by=by, now=now)
            done.append(_sync(case, fresh))
    return done


def transfer_case(
    *, case: Case, to_team: str, note: str, by: User, now: datetime, expected_version: int
) -> Case:
    """Move the case to another team's queue; its owner is cleared, its clocks keep running."""
    note = note.strip()
    if not note:
        raise InvalidInput("note", "required", "Say why the case is moving to another team")
    try:
        team = current_council().team(to_team)
    except KeyError:
        raise InvalidInput("to_team", "unknown", f"{to_team!r} is not one of our teams") from None
    with transaction.atomic():
        fresh = _lock(case, expected_version)
        _require_team_work(by, fresh, "case.transfer")
        _require_open(fresh)
        if to_team == fresh.team_code:
            raise InvalidInput("to_team", "same_team", "The case is already with that team")
        before = {"team_code": fresh.team_code, "owner_id": fresh.owner_id, "status": fresh.status}
        fresh.team_code = to_team
        fresh.owner = None
        if fresh.status in (Status.ASSIGNED, Status.IN_PROGRESS):
            fresh.status = Status.NEW
        _save(fresh, ["team_code", "owner", "status"])
        moved = _record(
            fresh,
            EventKind.TRANSFERRED,
            by=by,
            at=now,
            summary=f"Passed to the {team.name.get('en')} team",
            data={"before": before, "after": {"team_code": to_team, "status": fresh.status}},
            customer_visible=True,
        )
        _record(fresh, EventKind.NOTE_ADDED, by=by, at=now, summary=note, action="case.note_added")
        messages.tell_customer_opened(case=fresh, event=moved, handed_off=True, now=now)
    return _sync(case, fresh)


# ----------------------------------------------------------------------------- status


def change_status(
    *,
    case: Case,
    status: str,
    by: User | Actor,
    now: datetime,
    expected_version: int,
    note: str | None = None,
) -> Case:
    """Move an open case between new, assigned, in progress and waiting on the customer.

    Waiting on the customer pauses the charter clocks; leaving it resumes them and moves the
    due and promised dates by the working time spent waiting.
    """
    if status in (Status.RESOLVED, Status.CLOSED):
        raise InvalidInput(
            "status", "needs_outcome", "To resolve or close a case, record its outcome"
        )
    if status == Status.ASSIGNED:
        raise InvalidInput("status", "needs_owner", "To assign a case, choose its owner")
    if status not in Status.values:
        raise InvalidInput("status", "invalid", f"{status!r} is not a case status")
    actor = as_actor(by)
    with transaction.atomic():
        fresh = _lock(case, expected_version)
        _require_may(actor, fresh, "case.update_status")
        if fresh.status not in OPEN_STATUSES:
            raise InvalidInput(
                "status",
                "not_open",
                f"{fresh.reference} is {fresh.get_status_display().lower()}: reopen it first",
            )
        _require_transition(fresh, status)
        leaving_wait = fresh.status == Status.WAITING_ON_CUSTOMER
        entering_wait = status == Status.WAITING_ON_CUSTOMER
        if leaving_wait or entering_wait:
            _require_may(actor, fresh, "case.pause_clock")
        before = fresh.status
        fresh.status = status
        if entering_wait:
            charter.pause_clocks(case_id=fresh.pk, at=now)
            _record(fresh, EventKind.CLOCK_PAUSED, by=by, at=now,
                    summary="Clock paused while we wait for the customer")
        if leaving_wait:
            charter.resume_clocks(case_id=fresh.pk, at=now)
            _refresh_due_dates(fresh, move_promise=True)
            _record(
                fresh,
                EventKind.CLOCK_RESUMED,
                by=by,
                at=now,
                summary=_due_summary("Clock restarted", fresh.promised_at),
                data={"due_at": fresh.due_at, "promised_at": fresh.promised_at},
                customer_visible=fresh.promised_at is not None,
            )
        _save(fresh, ["status"])
        _record(
            fresh,
            EventKind.STATUS_CHANGED,
            by=by,
            at=now,
            summary=fresh.get_status_display(),
            data={"before": before, "after": status},
            customer_visible=True,
        )
        if note and note.strip():
            _record(fresh, EventKind.NOTE_ADDED, by=by, at=now, summary=note.strip(),
                    action="case.note_added")
    return _sync(case, fresh)


def resolve_case(
    *, case: Case, outcome: str, note: str, by: User | Actor, now: datetime,
    expected_version: int,
) -> Case:
    """Resolve with an outcome the customer is told; stops the clocks (met or missed)."""
    allowed = OUTCOMES_FOR_TYPE.get(case.case_type, GENERAL_OUTCOMES)
    if outcome not in allowed:
        names = ", ".join(sorted(allowed))
        raise InvalidInput(
            "outcome", "invalid", f"{outcome!r} is not an outcome for this case (use: {names})"
        )
    actor = as_actor(by)
    with transaction.atomic():
        fresh = _lock(case, expected_version)
        _require_may(actor, fresh, "case.resolve")
        _require_open(fresh)
        _require_transition(fresh, Status.RESOLVED)
        before = fresh.status
        fresh.status = Status.RESOLVED
        fresh.outcome = outcome
        fresh.outcome_note = note.strip()
        fresh.resolved_at = now
        charter.stop_clocks(case_id=fresh.pk, at=now)
        _refresh_due_dates(fresh, move_promise=False)
        _save(fresh, ["status", "outcome", "outcome_note", "resolved_at"])
        label = Outcome(outcome).label
        resolved = _record(
            fresh,
            EventKind.RESOLVED,
            by=actor,
            at=now,
            summary=f"Resolved: {label}. {fresh.outcome_note}".rstrip(". ") + ".",
            data={"before": before, "outcome": outcome, "clocks": _clock_outcomes(fresh)},
            customer_visible=True,
        )
        if actor.tells_customer:
            messages.tell_customer(case=fresh, event=resolved, message="case_resolved",
                                   data=messages.resolved_data(fresh), now=now)
    return _sync(case, fresh)


def close_case(
    *, case: Case, by: User, now: datetime, expected_version: int, note: str | None = None
) -> Case:
    """Close a resolved case (nothing more to do)."""
    with transaction.atomic():
        fresh = _lock(case, expected_version)
        _require_team_work(by, fresh, "case.close")
        _require_transition(fresh, Status.CLOSED)
        fresh.status = Status.CLOSED
        fresh.closed_at = now
        _save(fresh, ["status", "closed_at"])
        _record(fresh, EventKind.CLOSED, by=by, at=now, summary=(note or "Closed").strip(),
                data={"before": Status.RESOLVED})
    return _sync(case, fresh)


def reopen_case(
    *, case: Case, reason: str, by: User | Actor, now: datetime, expected_version: int | None
) -> Case:
    """Reopen a resolved or closed case (back to in progress); its clocks keep their history.

    A resident (or guest) reopens their own request only within the council's set number of
    days after it was resolved (`reopen_deadline`).
    """
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason", "required", "Say why the case is being reopened")
    actor = as_actor(by)
    with transaction.atomic():
        fresh = _lock(case, expected_version)
        _require_may(actor, fresh, "case.reopen")
        if actor.is_customer:
            _require_reopen_window(fresh, now)
        elif fresh.status not in (Status.RESOLVED, Status.CLOSED):
            raise InvalidInput("status", "not_resolved", "Only a resolved or closed case reopens")
        before = {"status": fresh.status, "outcome": fresh.outcome,
                  "resolved_at": fresh.resolved_at, "closed_at": fresh.closed_at}
        fresh.status = Status.IN_PROGRESS
        fresh.outcome = ""
        fresh.outcome_note = ""
        fresh.resolved_at = None
        fresh.closed_at = None
        _save(fresh, ["status", "outcome", "outcome_note", "resolved_at", "closed_at"])
        if actor.is_customer:
            _record(fresh, EventKind.REOPENED, by=actor, at=now,
                    summary=f"Reopened by you: {reason}",
                    data={"before": before, "reason": reason, "via": actor.via},
                    customer_visible=True, action="case.reopened_by_resident")
        else:
            _record(fresh, EventKind.REOPENED, by=actor, at=now, summary=f"Reopened: {reason}",
                    data={"before": before}, customer_visible=True)
    return _sync(case, fresh)


def reopen_deadline(case: Case) -> datetime | None:
    """Until when the resident may reopen the resolved case (None: it is not resolved)."""
    if case.status not in (Status.RESOLVED, Status.CLOSED) or case.resolved_at is None:
        return None
    return case.resolved_at + timedelta(days=current_council().portal.reopen_within_days)


def _require_reopen_window(case: Case, now: datetime) -> None:
    until = reopen_deadline(case)
    if until is None:
        raise InvalidInput("reason", "not_resolved",
                           "This request is still open, so there is nothing to reopen")
    if now > until and case.resolved_at is not None:
        days = current_council().portal.reopen_within_days
        raise InvalidInput(
            "reason", "too_late",
            f"You can only reopen a request within {days} days of it being resolved. "
            f"This one was resolved on {to_london(case.resolved_at).strftime('%-d %B %Y')}"
            " — make a new request or contact us instead.",
        )


# ---------------------------------------------------------------------- notes, updates


def add_internal_note(
    *, case: Case, text: str, by: User | Actor, now: datetime,
    expected_version: int | None = None, data: Mapping[str, Any] | None = None,
) -> CaseEvent:
    """A note for staff only (`data`: facts kept with it, e.g. who completed a form).

    With `expected_version` (the page the note was typed on) it is a Conflict if the case
    changed since; a note itself does not change the version, so two notes never conflict.
    """
    actor = as_actor(by)
    _require_may(actor, case, "case.add_internal_note", team_work=False)
    text = _required_text(text, "text", "Write the note")
    with transaction.atomic():
        if expected_version is not None:
            _lock(case, expected_version)
        return _record(case, EventKind.NOTE_ADDED, by=actor, at=now, summary=text,
                       data=dict(data or {}))


def add_customer_update(
    *, case: Case, text: str, by: User | Actor, now: datetime,
    expected_version: int | None = None,
) -> CaseEvent:
    """A message the customer sees on the case (the notifications outbox sends it).

    With `expected_version` it is a Conflict if the case changed since the update was written
    (the customer must not be told something the case has moved past).
    """
    actor = as_actor(by)
    _require_may(actor, case, "case.message_customer")
    text = _required_text(text, "text", "Write the update for the customer")
    with transaction.atomic():
        if expected_version is not None:
            _lock(case, expected_version)
        event = _record(case, EventKind.MESSAGE_SENT, by=actor, at=now, summary=text,
                        customer_visible=True)
        if actor.tells_customer:
            messages.tell_customer(case=case, event=event, message="case_update",
                                   data={"update": text}, now=now)
    return event


def extend_deadline(
    *,
    case: Case,
    new_due_at: datetime | None = None,
    reason: str,
    by: User,
    now: datetime,
    expected_version: int,
    new_due_date: date | None = None,
) -> Case:
    """Extend the response deadline with a reason; the customer sees the new date and why.

    Give the new deadline as an instant (`new_due_at`) or a day (`new_due_date`: the end of
    working hours that day in the clock's calendar).
    """
    if (new_due_at is None) == (new_due_date is None):
        raise InvalidInput("new_due_date", "required", "Enter the new date")
    if new_due_at is not None:
        require_aware(new_due_at)
    reason = _required_text(reason, "reason", "Say why the deadline is being extended")
    with transaction.atomic():
        fresh = _lock(case, expected_version)
        _require_team_work(by, fresh, "case.extend_deadline")
        _require_open(fresh)
        clock = _clock_to_extend(fresh)
        if new_due_date is not None:
            calendar = calendars_for(current_council())[clock.calendar_kind]
            new_due_at = calendar.closing_time(new_due_date)
        assert new_due_at is not None  # one of the two was given (checked above)
        before = {"due_at": fresh.due_at, "promised_at": fresh.promised_at}
        charter.extend_clock(clock=clock, new_due_at=new_due_at, reason=reason, by_id=by.pk,
                             now=now)
        clock.refresh_from_db()
        _refresh_due_dates(fresh, move_promise=False)
        fresh.promised_at = clock.due_at
        _save(fresh, ["promised_at"])
        extended = _record(
            fresh,
            EventKind.DEADLINE_EXTENDED,
            by=by,
            at=now,
            summary=_due_summary("New date", clock.due_at) + f". Why: {reason}",
            data={"before": before, "new_due_at": clock.due_at, "reason": reason,
                  "standard_id": clock.standard_id},
            customer_visible=True,
        )
        messages.tell_customer(case=fresh, event=extended, message="deadline_extended",
                               data={"new_date": messages.long_date(clock.due_at),
                                     "reason": reason}, now=now)
    return _sync(case, fresh)


# ------------------------------------------------------------------------------ links


def link_duplicate(
    *, case: Case, of_case: Case, by: User, now: datetime, expected_version: int | None = None
) -> Case:
    """Mark `case` as a duplicate of `of_case` (both histories say so)."""
    if case.pk == of_case.pk:
        raise InvalidInput("of_case", "same_case", "A case cannot duplicate itself")
    with transaction.atomic():
        fresh = _lock(case, expected_version)
        _require_team_work(by, fresh, "case.update_status")
        _require_visible(by, of_case)
        ancestor: Case | None = of_case
        while ancestor is not None:
            if ancestor.pk == fresh.pk:
                raise InvalidInput(
                    "of_case", "cycle", f"{of_case.reference} is already linked under this case"
                )
            ancestor = ancestor.parent
        fresh.parent = of_case
        fresh.parent_relation = ParentRelation.DUPLICATE
        _save(fresh, ["parent", "parent_relation"])
        _record(fresh, EventKind.LINKED_DUPLICATE, by=by, at=now,
                summary=f"Duplicate of {of_case.reference}", data={"of_case": of_case.reference})
        _record(of_case, EventKind.LINKED_DUPLICATE, by=by, at=now,
                summary=f"{fresh.reference} is a duplicate of this case",
                data={"duplicate": fresh.reference})
    return _sync(case, fresh)


def add_attachment(
    *,
    case: Case,
    upload: CheckedFile,
    source: str,
    by: User | None,
    now: datetime,
    contact: Contact | None = None,
    customer_visible: bool = True,
) -> Attachment:
    """Store a checked file on the case (see cases.uploads.check_upload) and record it.

    Staff need to see the case; a resident only adds to a case made through or linked to
    their account; `by` None is the system (email, Open311, API ingestion).
    """
    if source not in AttachmentSource.values:
        raise InvalidInput("source", "invalid", f"{source!r} is not a source of files")
    if by is not None:
        if by.role == Role.RESIDENT:
            _require_resident_case(by, case)
        elif by.role != Role.API_CLIENT:
            _require_visible(by, case)
    with transaction.atomic():
        attachment = Attachment(
            case=case, contact=contact, original_name=upload.name,
            content_type=upload.content_type, size=upload.size, sha256=upload.sha256,
            source=source, uploaded_by=by, uploaded_at=now, customer_visible=customer_visible,
        )
        attachment.file.save(upload.name, ContentFile(upload.content), save=False)
        attachment.save()
        _record(case, EventKind.ATTACHMENT_ADDED, by=by, at=now,
                summary=f"File added: {upload.name}",
                data={"attachment_id": attachment.pk, "size": upload.size,
                      "content_type": upload.content_type, "source": source},
                customer_visible=customer_visible)
    return attachment


def _require_resident_case(resident: User, case: Case) -> None:
    linked = case.account_id == resident.pk or case.account_links.filter(account=resident).exists()
    if not linked:
        raise NotFound("No such case", field="case")


def link_contact(*, case: Case, contact: Contact, by: User, now: datetime) -> CaseContact:
    """Attach a further contact (the customer chasing, adding information) to the case."""
    require(by, "contact.log")
    _require_visible(by, case)
    with transaction.atomic():
        link = _link_contact(case, contact, now=now)
        _record(case, EventKind.CONTACT_LINKED, by=by, at=now,
                summary=f"{contact.get_channel_display()} contact linked",
                data={"contact_id": contact.pk})
        if contact.outcome == ContactOutcome.PENDING:
            record_contact_outcome(contact=contact, outcome=ContactOutcome.CASE_LINKED,
                                   note=case.reference, by=by, now=now)
    return link


def add_case_information(
    *,
    case: Case,
    text: str,
    by: User | Actor,
    now: datetime,
    contact: Contact | None = None,
    data: Mapping[str, Any] | None = None,
    audit_action: str | None = None,
) -> CaseEvent:
    """Information the customer (or a client system for them) added to the case, shown to them.

    `contact` (how it came in) is linked to the case without making its sender a party: an
    Open311 comment can come from anyone. A resident or guest adds to their own open request
    only; staff need to see the case.
    """
    actor = as_actor(by)
    text = _required_text(text, "information", "Enter the information")
    with transaction.atomic():
        fresh = _lock(case, None)
        if actor.kind == ActorKind.STAFF:
            assert actor.user is not None
            require(actor.user, "contact.log")
            _require_visible(actor.user, fresh)
        else:
            _require_may(actor, fresh, "case.add_information")
        if actor.is_customer and not fresh.is_open:
            raise InvalidInput("information", "closed",
                               "This request is finished, so you cannot add to it. "
                               "You can reopen it, or contact us.")
        details = dict(data or {})
        if contact is not None:
            _link_contact(fresh, contact, now=now, as_party=False)
            details = {"contact_id": contact.pk, **details}
        return _record(fresh, EventKind.INFORMATION_ADDED, by=actor, at=now, summary=text,
                       data=details, customer_visible=True, action=audit_action)


def add_reporter_to_case(
    *, case: Case, contact: Contact, by: User | Actor | None, now: datetime
) -> CaseEvent:
    """Someone else reported the same open problem: their contact joins the case and they
    become a reporter on it (not its customer: they are told when it is dealt with).

    The portal offers only open reports of the same service near the place the resident gave;
    staff link contacts with `link_contact`.
    """
    actor = as_actor(by)
    if actor.kind == ActorKind.RESIDENT:
        require(actor.user, "portal.use")
    elif actor.kind != ActorKind.SYSTEM and actor.kind != ActorKind.GUEST:
        raise Forbidden("Staff link further contacts to a case with link_contact")
    with transaction.atomic():
        fresh = _lock(case, None)
        _require_open(fresh)
        _link_contact(fresh, contact, now=now, as_party=False)
        customer = surviving_customer(contact.customer)
        if customer is not None:
            CaseParty.objects.get_or_create(case=fresh, customer=customer,
                                            role=PartyRole.REPORTER)
        event = _record(fresh, EventKind.CONTACT_LINKED, by=actor, at=now,
                        summary="Someone else reported this too (online form)",
                        data={"contact_id": contact.pk})
        record_contact_outcome(contact=contact, outcome=ContactOutcome.CASE_LINKED,
                               note=fresh.reference, by=None, now=now)
    return event


def link_case_to_account(
    *, case: Case, account: User, identity_check: str, by: User, now: datetime
) -> CaseAccountLink:
    """Staff: after checking the resident's identity, show this case in their My Account."""
    require_aware(now)
    require(by, "case.view")
    _require_visible(by, case)
    check = " ".join((identity_check or "").split())
    if not check:
        raise InvalidInput("identity_check", "required",
                           "Say how you checked the person's identity")
    if account.role != Role.RESIDENT or resident_account_of(account) is None:
        raise InvalidInput("account", "not_confirmed",
                           "Only a resident's My Account with a confirmed email can be linked")
    with transaction.atomic():
        existing = CaseAccountLink.objects.filter(case=case, account=account).first()
        if existing is not None:
            return existing
        link = CaseAccountLink.objects.create(case=case, account=account, linked_by=by,
                                              linked_at=now, identity_check=check[:200])
        _record(case, EventKind.ACCOUNT_LINKED, by=by, at=now,
                summary="Added to your online account",
                data={"account_id": account.pk, "identity_check": check},
                customer_visible=True)
    return link


def record_acknowledgement(
    *, case: Case, at: datetime, by: User | None = None, expected_version: int | None = None
) -> Case:
    """The acknowledgement went out at `at`: clocks that run from it start counting.

    `by` None is the system (the outbox confirming it sent); a member of staff recording an
    acknowledgement they made (by phone, say) needs to work in the case's team.
    """
    with transaction.atomic():
        fresh = _lock(case, expected_version)
        if by is not None:
            _require_team_work(by, fresh, "case.update_status")
            _require_open(fresh)
            if not Clock.objects.filter(case_id=fresh.pk, clock_name="acknowledge",
                                        stopped_at__isnull=True).exists():
                raise InvalidInput("acknowledge", "nothing_to_acknowledge",
                                   "This case has no acknowledgement deadline running")
        charter.record_clock_event(case_id=fresh.pk, event="acknowledged", at=at)
        _refresh_due_dates(fresh, move_promise=True)
        _save(fresh, [])
        _record(fresh, EventKind.ACKNOWLEDGED, by=by, at=at,
                summary=_due_summary("Acknowledged", fresh.promised_at),
                data={"due_at": fresh.due_at, "promised_at": fresh.promised_at})
    return _sync(case, fresh)


# ---------------------------------------------------------------------------- helpers


def _open_case(
    *,
    case_type: str,
    service_code: str,
    customer: Customer | None,
    contact: Contact | None,
    title: str,
    description: str,
    received_at: datetime,
    channel: str,
    by: User | Actor | None,
    now: datetime,
    team_code: str | None = None,
    owner: User | None = None,
    complaint_stage: int | None = None,
    location: CaseLocation | None = None,
    idempotency_key: str | None = None,
    account: User | None = None,
    tracking_token_hash: str = "",
    form_answers: Mapping[str, Any] | None = None,
    related_to: Case | None = None,
    opened_data: Mapping[str, Any] | None = None,
) -> Case:
    require_aware(now)
    actor = as_actor(by)
    if case_type not in CaseType.values:
        raise InvalidInput("case_type", "invalid", f"{case_type!r} is not a type of case")
    if channel not in Channel.values:
        raise InvalidInput("channel", "invalid", f"{channel!r} is not a channel we record")
    validate_received_at(received_at, now=now)
    council = current_council()
    service = require_known_service(service_code)
    team_code = team_code or service.team
    try:
        council.team(team_code)
    except KeyError:
        raise InvalidInput(
            "team_code", "unknown", f"{team_code!r} is not one of our teams"
        ) from None
    if case_type == CaseType.COMPLAINT:
        complaint_stage = complaint_stage or 1
        if complaint_stage not in (1, 2):
            raise InvalidInput("complaint_stage", "invalid", "A complaint is at stage 1 or 2")
    elif complaint_stage is not None:
        raise InvalidInput("complaint_stage", "not_complaint", "Only complaints have a stage")
    title = _required_text(title, "title", "Give the case a short title")[:200]
    if owner is not None:
        _require_team_member(owner, team_code)
    loc = _clean_location(location)
    customer = surviving_customer(customer if customer is not None else
                                  (contact.customer if contact is not None else None))

    year = to_london(received_at).year
    case = Case.objects.create(
        reference=_next_reference(prefix=council.council.reference_prefix, year=year),
        case_type=case_type,
        complaint_stage=complaint_stage,
        service_code=service_code,
        team_code=team_code,
        owner=owner,
        status=Status.ASSIGNED if owner is not None else Status.NEW,
        channel=channel,
        received_at=received_at,
        opened_at=now,
        title=title,
        description=description.strip(),
        created_by=actor.user,
        idempotency_key=idempotency_key or None,
        account=account,
        tracking_token_hash=tracking_token_hash,
        form_answers=dict(form_answers or {}),
        parent=related_to,
        parent_relation=ParentRelation.RELATED if related_to is not None else "",
        **loc,
    )
    if customer is not None:
        CaseParty.objects.create(case=case, customer=customer, role=PartyRole.CUSTOMER)
    charter.start_clocks(
        case_id=case.pk,
        channel=channel,
        case_type=case_type,
        service_code=service_code,
        complaint_stage=complaint_stage,
        received_at=received_at,
        now=now,
    )
    _refresh_due_dates(case, move_promise=True)
    case.save(update_fields=["due_at", "promised_at"])
    opened: dict[str, Any] = {
        "team_code": team_code, "service_code": service_code, "channel": channel,
        "received_at": received_at, "promised_at": case.promised_at,
    }
    if account is not None:
        opened["account_id"] = account.pk
    if related_to is not None:
        opened["related_to"] = related_to.reference
    opened.update(opened_data or {})  # e.g. who completed the form with the customer
    _record(
        case,
        EventKind.OPENED,
        by=actor,
        at=now,
        summary=_due_summary(f"{CaseType(case_type).label} opened", case.promised_at),
        data=opened,
        customer_visible=True,
    )
    if owner is not None:
        _record(case, EventKind.ASSIGNED, by=actor, at=now, summary=f"Assigned to {owner}",
                data={"owner_id": owner.pk})
    if contact is not None:
        _link_contact(case, contact, now=now)
        record_contact_outcome(contact=contact, outcome=ContactOutcome.CASE_CREATED,
                               note=case.reference, by=actor.user, now=now)
    return case


def _opened_event(case: Case) -> CaseEvent:
    return case.events.get(kind=EventKind.OPENED)


def _next_reference(*, prefix: str, year: int) -> str:
    """NN-2026-000123 from the year's sequence row, locked until the case's transaction ends.

    A rolled-back open releases its number with the rollback, so numbers are never reused
    and never issued twice; the format widens past 999999 rather than wrap.
    """
    CaseSequence.objects.get_or_create(year=year)
    sequence = CaseSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}-{year}-{sequence.last:06d}"


def _link_contact(
    case: Case, contact: Contact, *, now: datetime, as_party: bool = True
) -> CaseContact:
    link, _ = CaseContact.objects.get_or_create(case=case, contact=contact,
                                                defaults={"linked_at": now})
    if not as_party:
        return link
    customer = surviving_customer(contact.customer)
    if customer is not None:
        CaseParty.objects.get_or_create(case=case, customer=customer,
                                        defaults={"role": PartyRole.CUSTOMER})
    return link


def _assign(case: Case, *, owner: User, by: User, now: datetime) -> None:
    _require_team_work(by, case, "case.assign")
    _require_open(case)
    if case.owner_id == owner.pk:
        raise InvalidInput("owner", "already_owner", f"{owner} already owns {case.reference}")
    someone_else = owner.pk != by.pk or (case.owner_id is not None and case.owner_id != by.pk)
    if someone_else:
        require(by, "case.reassign_any")
        if case.team_code not in led_team_codes(by):
            raise Forbidden(
                f"Only a leader or manager of the {case.team_code} team can assign its cases "
                "to someone else"
            )
    _require_team_member(owner, case.team_code)
    before = {"owner_id": case.owner_id, "status": case.status}
    case.owner = owner
    if case.status == Status.NEW:
        case.status = Status.ASSIGNED
    _save(case, ["owner", "status"])
    _record(case, EventKind.ASSIGNED, by=by, at=now, summary=f"Assigned to {owner}",
            data={"before": before, "after": {"owner_id": owner.pk, "status": case.status}})


def lock_case(*, case: Case, expected_version: int | None = None) -> Case:
    """The case's row, locked until the caller's transaction ends (one writer at a time).

    Conflict, with nothing saved, if `expected_version` is given and the case moved on since.
    """
    return _lock(case, expected_version)


def _lock(case: Case, expected_version: int | None) -> Case:
    """The case's row, locked for this transaction; Conflict if it moved on since it was read."""
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise Conflict(
            f"Someone else changed {fresh.reference} while you had it open "
            f"(you saw version {expected_version}, it is now version {fresh.version}). "
            "Nothing was saved: reload the case and try again.",
            field="expected_version",
        )
    return fresh


def _save(case: Case, fields: list[str]) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version", "due_at", "promised_at"])


def _sync(target: Case, source: Case) -> Case:
    """Copy the saved row into the caller's instance so what they hold is current."""
    if target is not source:
        for field in Case._meta.concrete_fields:
            setattr(target, field.attname, getattr(source, field.attname))
        target._state.fields_cache.clear()
    return target


def _record(
    case: Case,
    kind: str,
    *,
    by: User | Actor | None,
    at: datetime,
    summary: str,
    data: dict[str, Any] | None = None,
    customer_visible: bool = False,
    action: str | None = None,
) -> CaseEvent:
    """The event and its audit entry; the webhook deliveries partners subscribed to, if any.

    Every event goes through here, so a partner hears of a change once (the delivery's key is
    the event's id) whichever channel made it, inside the change's own transaction.
    """
    actor = as_actor(by)
    data = dict(data or {})
    if actor.source:
        data.setdefault("source", actor.source)
    event = CaseEvent.objects.create(
        case=case, at=at, by=actor.user, kind=kind, summary=summary, data=data,
        customer_visible=customer_visible,
    )
    record_change(
        actor=actor.user,
        action=action or f"case.{kind}",
        object_type="case",
        object_id=case.pk,
        summary=f"{case.reference}: {summary}"[:1000],
        data={"event_id": event.pk, "kind": kind, **data},
        at=at,
    )
    webhook_events = WEBHOOKS_FOR_EVENT.get(kind, ())
    if webhook_events:
        payload = case_webhook_payload(case)
        if kind == EventKind.MESSAGE_SENT:
            payload["message"] = summary
        for webhook_event in webhook_events:
            queue_webhook_deliveries(event=webhook_event, payload=payload, now=at,
                                     event_key=f"{webhook_event}:{event.pk}")
    return event


def _refresh_due_dates(case: Case, *, move_promise: bool) -> None:
    """due_at = earliest open clock; promised_at follows the respond (or callback) clock."""
    clocks = list(Clock.objects.filter(case_id=case.pk).order_by("due_at", "id"))
    open_clocks = [c for c in clocks if c.stopped_at is None]
    case.due_at = open_clocks[0].due_at if open_clocks else None
    if move_promise:
        promise = _promise_clock(open_clocks)
        if promise is not None:
            case.promised_at = promise.due_at


def _promise_clock(clocks: list[Clock]) -> Clock | None:
    for name in ("respond", "callback"):
        named = [c for c in clocks if c.clock_name == name]
        if named:
            return named[0]
    return None


def _clock_to_extend(case: Case) -> Clock:
    clocks = list(Clock.objects.filter(case_id=case.pk, stopped_at__isnull=True))
    clock = _promise_clock(sorted(clocks, key=lambda c: (c.due_at, c.pk)))
    if clock is None:
        raise InvalidInput("new_due_at", "no_deadline", "This case has no running deadline")
    return clock


def _clock_outcomes(case: Case) -> dict[str, str]:
    return dict(Clock.objects.filter(case_id=case.pk).values_list("standard_id", "outcome"))


def _require_may_open(actor: Actor) -> None:
    if actor.kind == ActorKind.RESIDENT:
        require(actor.user, "portal.use")
    elif actor.kind == ActorKind.API_CLIENT:
        require(actor.user, "api.use")
    elif actor.kind == ActorKind.STAFF:
        require(actor.user, "case.create")


def _require_may(actor: Actor, case: Case, action: str, *, team_work: bool = True) -> None:
    """May `actor` do `action` (a staff action's name) on `case`?

    Staff: the role, and the case's team (`team_work`) or just seeing the case. An API client:
    the action's `VIA_API` permission and a case its key can see. A resident: the action's
    `BY_RESIDENT` permission on a case of their own; a guest: the case of their link. The
    system has been checked by its caller (an Open311 key, the email mailbox).
    """
    if actor.kind == ActorKind.STAFF:
        assert actor.user is not None
        if team_work:
            _require_team_work(actor.user, case, action)
        else:
            require(actor.user, action)
            _require_visible(actor.user, case)
    elif actor.kind == ActorKind.API_CLIENT:
        if action not in VIA_API:
            raise Forbidden(f"An API client cannot do {action}")
        require(actor.user, VIA_API[action])
        assert actor.user is not None
        if not cases_visible_to_api(actor.user).filter(pk=case.pk).exists():
            raise NotFound(f"No case {case.reference!r}", field="reference")
    elif actor.kind == ActorKind.RESIDENT:
        if action not in BY_RESIDENT:
            raise Forbidden(f"A resident cannot do {action}")
        require(actor.user, BY_RESIDENT[action])
        assert actor.user is not None
        _require_resident_case(actor.user, case)
    elif actor.kind == ActorKind.GUEST:
        if action not in BY_RESIDENT:
            raise Forbidden(f"A tracking link does not allow {action}")
        if not actor.holds_tracking_link_to(case.tracking_token_hash):
            raise NotFound("No such request", field="token")


def _require_team_work(by: User, case: Case, action: str) -> None:
    require(by, action)
    if case.team_code not in team_codes_for(by):
        raise Forbidden(
            f"{case.reference} belongs to the {case.team_code} team: you can change cases "
            "in your own teams only"
        )


def _require_visible(by: User, case: Case) -> None:
    if not cases_visible_to(by).filter(pk=case.pk).exists():
        raise Forbidden(f"You cannot work on {case.reference}")


def _require_team_member(user: User, team_code: str) -> None:
    if not user.is_active or user.role not in CASEWORK_ROLES:
        raise InvalidInput("owner", "not_caseworker", f"{user} cannot own cases")
    if team_code not in team_codes_for(user):
        raise InvalidInput("owner", "not_in_team", f"{user} is not in the {team_code} team")


def _require_open(case: Case) -> None:
    if case.status not in OPEN_STATUSES:
        raise InvalidInput(
            "status", "not_open", f"{case.reference} is {case.get_status_display().lower()}"
        )


def _require_transition(case: Case, to_status: str) -> None:
    if to_status == case.status:
        raise InvalidInput("status", "unchanged", f"{case.reference} is already that status")
    if to_status not in ALLOWED_TRANSITIONS[case.status]:
        raise InvalidInput(
            "status",
            "not_allowed",
            f"A case that is {case.get_status_display().lower()} cannot become "
            f"{Status(to_status).label.lower()}",
        )


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(field, "required", message)
    return value


def _clean_location(location: CaseLocation | None) -> dict[str, Any]:
    if location is None:
        return {}
    lat = _decimal(location.latitude, "location.latitude", -90, 90)
    lng = _decimal(location.longitude, "location.longitude", -180, 180)
    if (lat is None) != (lng is None):
        raise InvalidInput("location", "incomplete", "Give both latitude and longitude")
    for name, value, digits in (("uprn", location.uprn, 12), ("usrn", location.usrn, 8)):
        if value is not None and not (0 < int(value) < 10**digits):
            raise InvalidInput(f"location.{name}", "invalid",
                               f"A {name.upper()} is a number of up to {digits} digits")
    return {"latitude": lat, "longitude": lng, "address": location.address.strip(),
            "uprn": location.uprn, "usrn": location.usrn}


def _decimal(value: Any, field: str, low: int, high: int) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        raise InvalidInput(field, "invalid", "Enter a number") from None
    if not low <= number <= high:
        raise InvalidInput(field, "out_of_range", f"Must be between {low} and {high}")
    return number


def _callback_service_code() -> str:
    for service in current_council().services:
        if service.case_type == CaseType.CALLBACK:
            return str(service.code)
    raise InvalidInput("service_code", "required", "Choose the service the callback is about")


def _due_summary(prefix: str, due: datetime | None) -> str:
    if due is None:
        return prefix
    return f"{prefix}: we will reply by {to_london(due):%A %-d %B %Y, %-H:%M}"


# ---------------------------------------------------------------------- message decisions


def resend_case_message(*, case: Case, message: Message, by: User, now: datetime) -> Message:
    """Staff decided a message to the customer that may not have arrived should go again."""
    _require_team_work(by, case, "case.message_customer")
    with transaction.atomic():
        decided = notifications.resend_unknown_message(message=message, by_label=str(by), now=now)
        _record(case, EventKind.MESSAGE_DECIDED, by=by, at=now,
                summary=f"Asked to send \u201c{message.subject or message.event}\u201d again",
                data={"message_id": message.pk, "decision": "resend"})
    return decided


def abandon_case_message(
    *, case: Case, message: Message, reason: str, by: User, now: datetime
) -> Message:
    """Staff decided a failed or uncertain message should not go (and say how they told them)."""
    _require_team_work(by, case, "case.message_customer")
    reason = _required_text(reason, "reason", "Say why the message will not be sent again")
    with transaction.atomic():
        decided = notifications.abandon_message(message=message, by_label=str(by), now=now,
                                                reason=reason)
        _record(case, EventKind.MESSAGE_DECIDED, by=by, at=now,
                summary=f"Gave up on \u201c{message.subject or message.event}\u201d: {reason}",
                data={"message_id": message.pk, "decision": "abandon"})
    return decided
