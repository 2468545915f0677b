"""Cases through Open311 (GeoReport v2 with mySociety's extensions): street reports in, their
public state and the council's updates out, the client's own updates back in.

The interface (`frontdoor.open311`) parses, maps statuses and renders; this module holds the
domain side. Only cases of street-report services (`street_report = true`) exist here: the
GET endpoints need no key, so nothing else may leak through them. A case that did not come in
through Open311 shows no description (a phone note may name people); see docs/open311.md.

Client-driven changes (a report marked fixed on FixMyStreet) move the case through the
ordinary case actions as the system (`client_actor`), with the client's account as `by`, and
tell nobody: the client tells its own users. Those events carry `data["source"] = "open311"`
and are never echoed back in the update feed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Prefetch, Q

from frontdoor.cases.actions import (
    GENERAL_OUTCOMES,
    OUTCOMES_FOR_TYPE,
    CaseLocation,
    add_attachment,
    add_case_information,
    lock_case,
    open_case,
    reopen_case,
    resolve_case,
)
from frontdoor.cases.actors import Actor
from frontdoor.cases.models import (
    OPEN_STATUSES,
    Attachment,
    AttachmentSource,
    Case,
    CaseEvent,
    EventKind,
    Status,
)
from frontdoor.cases.uploads import check_upload
from frontdoor.contacts.actions import log_contact, record_contact_outcome
from frontdoor.contacts.models import Channel
from frontdoor.contacts.models import Outcome as ContactOutcome
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.core.time import isoformat_london, require_aware
from frontdoor.council.queries import current_council
from frontdoor.customers.actions import create_customer
from frontdoor.customers.queries import live_customers, normalise_email, normalise_phone

if TYPE_CHECKING:
    from frontdoor.accounts.models import ApiKey
    from frontdoor.council.config import Service
    from frontdoor.customers.models import Customer

SOURCE = "open311"
MAX_REQUESTS = 1000  # GeoReport v2: the last 90 days or the first 1,000, whichever is smaller
# Kinds of customer-visible event that are the council telling the customer something. The
# opening, acknowledgement and the customer's own additions are not updates from the council.
FEED_KINDS = frozenset(
    {
        EventKind.STATUS_CHANGED,
        EventKind.MESSAGE_SENT,
        EventKind.DEADLINE_EXTENDED,
        EventKind.TRANSFERRED,
        EventKind.RESOLVED,
        EventKind.CLOSED,
        EventKind.REOPENED,
        EventKind.CLOCK_RESUMED,
    }
)
# Kinds that move the workflow status, replayed to know the status after any event.
STATE_KINDS = frozenset(
    {
        EventKind.OPENED,
        EventKind.ASSIGNED,
        EventKind.STATUS_CHANGED,
        EventKind.TRANSFERRED,
        EventKind.RESOLVED,
        EventKind.CLOSED,
        EventKind.REOPENED,
    }
)
_EXTENDED_TITLE = re.compile(r"\Atitle: *(?P<title>[^\n]*)")


def client_actor(client: ApiKey) -> Actor:
    """The Open311 client as the one acting: recorded as its account, telling nobody."""
    return Actor.system(f"Open311 client {client.name}", user=client.owner, source=SOURCE,
                        tells_customer=False)


# ----------------------------------------------------------------------------- services


def street_report_services() -> list[Service]:
    """Every service offered through Open311 / report-it, in catalogue order (never paged)."""
    return [service for service in current_council().services if service.street_report]


def street_report_service(service_code: str) -> Service:
    """The street-report service with this code; NotFound for any other code."""
    for service in street_report_services():
        if service.code == service_code:
            return service
    raise NotFound(f"service_code {service_code!r} not found", field="service_code")


# ------------------------------------------------------------------------------ reports


@dataclass(frozen=True)
class StreetReport:
    """A service request as an Open311 client sends it (already decoded, not yet validated)."""

    service_code: str
    latitude: str = ""
    longitude: str = ""
    address_string: str = ""
    address_id: str = ""
    description: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    attributes: Mapping[str, str | list[str]] = field(default_factory=dict)
    required_attributes: Sequence[str] = ()
    media_urls: Sequence[str] = ()
    photos: Sequence[tuple[str, bytes]] = ()


def open_street_report(*, report: StreetReport, client: ApiKey, now: datetime) -> Case:
    """A contact on the app/API channel and a case with charter clocks for the report.

    A retry carrying the same `attribute[fixmystreet_id]` from the same client returns the
    case made the first time, unchanged.
    """
    require_aware(now)
    service = street_report_service(report.service_code)
    idempotency_key = _report_key(client, report.attributes)
    if idempotency_key:
        existing = Case.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    location = _location_of(report)
    for code in report.required_attributes:
        if not _answer(report.attributes.get(code)):
            raise InvalidInput(f"attribute[{code}]", "required", f"attribute[{code}] is required")
    description = normalise_newlines(report.description).strip()
    photos = [
        check_upload(name=name, content=content, field=f"photo{i}")
        for i, (name, content) in enumerate(report.photos, start=1)
    ]
    with transaction.atomic():
        reporter, unused_details = _reporter(
            email=report.email, phone=report.phone, first_name=report.first_name,
            last_name=report.last_name, now=now,
        )
        summary = description or service.name.get("en")
        if unused_details:
            summary += "\n\nGiven but not recorded on a customer: " + ", ".join(unused_details)
        contact = log_contact(
            channel=Channel.APP_API,
            customer=reporter,
            received_at=now,
            service_code=service.code,
            summary=f"{summary}\n\nReported through {client.name} (Open311)",
            handled_by=None,
            now=now,
            idempotency_key=f"{idempotency_key}:contact" if idempotency_key else None,
        )
        case = open_case(
            case_type=service.case_type,
            service_code=service.code,
            customer=reporter,
            contact=contact,
            title=_title_of(description) or service.name.get("en"),
            description=description,
            received_at=now,
            channel=Channel.APP_API,
            by=client.owner,
            now=now,
            location=location,
            idempotency_key=idempotency_key,
            # The attributes are the service's form answers: part of opening, not a new event.
            form_answers={code: value for code, value in report.attributes.items()
                          if _answer(value)},
        )
        _record_media_urls(case, report.media_urls, client=client, now=now)
        known = set(Attachment.objects.filter(case=case).values_list("sha256", flat=True))
        for photo in photos:
            if photo.sha256 not in known:  # a raced retry must not store the photo twice
                add_attachment(case=case, upload=photo, source=AttachmentSource.OPEN311,
                               by=client.owner, now=now, contact=contact)
                known.add(photo.sha256)
    return case


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR (as FixMyStreet sends them) become LF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _report_key(client: ApiKey, attributes: Mapping[str, Any]) -> str | None:
    fms_id = attributes.get("fixmystreet_id")
    fms_id = (fms_id[0] if fms_id else "") if isinstance(fms_id, list) else (fms_id or "")
    fms_id = str(fms_id).strip()
    if not fms_id:
        return None
    # Per client name, so a rotated key for the same FixMyStreet still de-duplicates.
    return f"open311:{client.name}:{fms_id}"[:200]


def _answer(value: str | list[str] | None) -> bool:
    if isinstance(value, list):
        return any(v.strip() for v in value)
    return bool(value and value.strip())


def _location_of(report: StreetReport) -> CaseLocation:
    lat, lng = report.latitude.strip(), report.longitude.strip()
    address = report.address_string.strip()
    if bool(lat) != bool(lng):
        raise InvalidInput("lat", "incomplete", "Send both lat and long, or address_string")
    if not (lat or address or report.address_id.strip()):
        raise InvalidInput(
            "lat", "required", "A location is required: lat and long, address_string or address_id"
        )
    if not address and report.address_id.strip():
        address = report.address_id.strip()
    return CaseLocation(latitude=lat or None, longitude=lng or None, address=address)


def _title_of(description: str) -> str:
    """The `title:` line of FixMyStreet's extended description, if it starts with one."""
    match = _EXTENDED_TITLE.match(description)
    return match.group("title").strip()[:200] if match else ""


def _reporter(
    *, email: str, phone: str, first_name: str, last_name: str, now: datetime
) -> tuple[Customer | None, list[str]]:
    """The customer who reported it: matched by email, then phone (never by name alone), or new.

    Returns the customer (None when we were given nothing to keep) and any detail that could
    not be kept (a phone number that is not a real one), so it can go on the contact instead.
    """
    unused: list[str] = []
    clean_email = normalise_email(email, field="email") if email.strip() else ""
    clean_phone = ""
    if phone.strip():
        try:
            clean_phone = normalise_phone(phone, field="phone")
        except InvalidInput:
            unused.append(f"phone {phone.strip()!r}")
    customers = live_customers().order_by("pk")
    if clean_email:
        match = customers.filter(emails__address=clean_email).first()
        if match is not None:
            return match, unused
    if clean_phone:
        match = customers.filter(phones__e164=clean_phone).first()
        if match is not None:
            return match, unused
    given = first_name.strip()
    family = "" if last_name.strip() == "-" else last_name.strip()  # FMS sends "-" for none
    if not (given or family):
        unused += [f"email {clean_email}"] if clean_email else []
        unused += [f"phone {clean_phone}"] if clean_phone else []
        return None, unused
    if not (clean_email or clean_phone):
        return None, [*unused, f"name {given} {family}".rstrip()]
    customer = create_customer(
        kind="person", given_name=given[:100], family_name=family[:100],
        emails=[clean_email] if clean_email else [], phones=[clean_phone] if clean_phone else [],
        by=None, now=now,
    )
    return customer, unused


def _record_media_urls(case: Case, urls: Sequence[str], *, client: ApiKey, now: datetime) -> None:
    urls = [url.strip() for url in urls if url and url.strip()]
    if not urls or case.events.filter(kind=EventKind.INFORMATION_ADDED,
                                      data__has_key="media_urls").exists():
        return
    add_case_information(
        case=case, text="Photos: " + " ".join(urls), by=client_actor(client), now=now,
        data={"source": SOURCE, "client": client.name, "media_urls": urls},
        audit_action="case.open311_media",
    )


# ------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class RequestFilters:
    """GET requests: ids override everything else (GeoReport v2)."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    open_states: tuple[bool, ...] = ()  # True: open, False: closed; empty: both


@dataclass(frozen=True)
class PublicRequest:
    case: Case
    is_open: bool
    updated_at: datetime
    status_notes: str
    media_url: str
    show_description: bool


def requests_for_open311(filters: RequestFilters) -> list[PublicRequest]:
    """Street-report cases for the public GET endpoints, newest first (at most 1,000 unless
    asked for by id)."""
    visible = CaseEvent.objects.filter(customer_visible=True).order_by("at", "id")
    cases = Case.objects.filter(
        service_code__in=[s.code for s in street_report_services()]
    ).prefetch_related(Prefetch("events", queryset=visible, to_attr="visible_events"))
    if filters.ids:
        cases = cases.filter(reference__in=[ref.strip().upper() for ref in filters.ids])
        selected = list(cases.order_by("-received_at", "-id"))
    else:
        if filters.service_codes:
            cases = cases.filter(service_code__in=filters.service_codes)
        if filters.start is not None:
            cases = cases.filter(received_at__gte=filters.start)
        if filters.end is not None:
            cases = cases.filter(received_at__lte=filters.end)
        if filters.open_states and len(set(filters.open_states)) == 1:
            in_open = Q(status__in=OPEN_STATUSES)
            cases = cases.filter(in_open if filters.open_states[0] else ~in_open)
        selected = list(cases.order_by("-received_at", "-id")[:MAX_REQUESTS])
    return [_public_request(case) for case in selected]


def get_request_for_open311(reference: str) -> PublicRequest:
    """One street-report case by reference (= service_request_id); NotFound otherwise."""
    found = requests_for_open311(RequestFilters(ids=(reference,)))
    if not found:
        raise NotFound(f"service_request_id {reference!r} not found", field="service_request_id")
    return found[0]


def _public_request(case: Case) -> PublicRequest:
    events: list[CaseEvent] = case.visible_events  # type: ignore[attr-defined]
    feed = [e for e in events if e.kind in FEED_KINDS and e.data.get("source") != SOURCE]
    media = [url for e in events for url in e.data.get("media_urls", [])]
    is_open = case.status in OPEN_STATUSES
    updated_at = max([case.opened_at, *(e.at for e in feed)])
    if not is_open and case.resolved_at is not None:
        updated_at = case.resolved_at
    return PublicRequest(
        case=case,
        is_open=is_open,
        updated_at=updated_at,
        status_notes=feed[-1].summary if feed else "",
        media_url=media[0] if media else "",
        show_description=case.channel == Channel.APP_API,
    )


@dataclass(frozen=True)
class PublicUpdate:
    """One council update on a street-report case, with the case's state just after it."""

    event: CaseEvent
    reference: str
    status: str
    outcome: str
    fixmystreet_id: str


def updates_between(start: datetime, end: datetime) -> list[PublicUpdate]:
    """The council's customer-visible updates on street-report cases made in [start, end],
    oldest first; each reports its own time and the case's status after it."""
    require_aware(start)
    require_aware(end)
    codes = [s.code for s in street_report_services()]
    case_ids = set(
        CaseEvent.objects.filter(
            customer_visible=True, kind__in=FEED_KINDS, at__gte=start, at__lte=end,
            case__service_code__in=codes,
        ).values_list("case_id", flat=True)
    )
    history = (
        CaseEvent.objects.filter(case_id__in=case_ids, at__lte=end,
                                 kind__in=FEED_KINDS | STATE_KINDS)
        .select_related("case")
        .order_by("case_id", "at", "id")
    )
    updates: list[PublicUpdate] = []
    state: dict[int, tuple[str, str]] = {}
    for event in history:
        status, outcome = _state_after(event, state.get(event.case_id, (Status.NEW, "")))
        state[event.case_id] = (status, outcome)
        if (event.kind in FEED_KINDS and event.customer_visible and event.at >= start
                and event.data.get("source") != SOURCE):
            fms_id = event.case.form_answers.get("fixmystreet_id", "")
            updates.append(PublicUpdate(event=event, reference=event.case.reference,
                                        status=status, outcome=outcome,
                                        fixmystreet_id=str(fms_id) if fms_id else ""))
    updates.sort(key=lambda u: (u.event.at, u.event.pk))
    return updates


def _state_after(event: CaseEvent, current: tuple[str, str]) -> tuple[str, str]:
    """The (status, outcome) a case has after `event`, from what the event recorded."""
    status, outcome = current
    data = event.data or {}
    after = data.get("after")
    if event.kind == EventKind.OPENED:
        return Status.NEW, ""
    if event.kind == EventKind.ASSIGNED:
        if isinstance(after, dict) and after.get("status"):
            return after["status"], outcome
        return (Status.ASSIGNED if status == Status.NEW else status), outcome
    if event.kind == EventKind.STATUS_CHANGED and isinstance(after, str):
        return after, outcome
    if event.kind == EventKind.TRANSFERRED and isinstance(after, dict) and after.get("status"):
        return after["status"], outcome
    if event.kind == EventKind.RESOLVED:
        return Status.RESOLVED, str(data.get("outcome", outcome))
    if event.kind == EventKind.CLOSED:
        return Status.CLOSED, outcome
    if event.kind == EventKind.REOPENED:
        return Status.IN_PROGRESS, ""
    return status, outcome


# ----------------------------------------------------------------------- client updates


@dataclass(frozen=True)
class ClientUpdate:
    """An update the client posts (a comment on FixMyStreet), with its own id and status."""

    service_request_id: str
    update_id: str
    status: str  # the client's status, as sent (UPPERCASE extended)
    updated_at: datetime
    description: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    media_urls: Sequence[str] = ()
    resolve_with: str = ""  # an outcome: resolve the case (if open) with it
    reopen: bool = False  # reopen the case (if resolved or closed)


def record_client_update(*, update: ClientUpdate, client: ApiKey, now: datetime) -> CaseEvent:
    """Record the client's update on the case (customer-visible) and the status change it asks
    for; the event's id is our update_id. The same client update_id again returns that event."""
    require_aware(now)
    require_aware(update.updated_at)
    update_id = update.update_id.strip()
    if not update_id:
        raise InvalidInput("update_id", "required", "update_id is required")
    case = get_request_for_open311(update.service_request_id).case
    existing = _client_update_event(case, client, update_id)
    if existing is not None:
        return existing
    description = normalise_newlines(update.description).strip()
    media = [url.strip() for url in update.media_urls if url and url.strip()]
    with transaction.atomic():
        fresh = lock_case(case=case)
        existing = _client_update_event(fresh, client, update_id)
        if existing is not None:  # a concurrent retry got here first
            return existing
        reporter, unused = _reporter(email=update.email, phone=update.phone,
                                     first_name=update.first_name, last_name=update.last_name,
                                     now=now)
        contact = log_contact(
            channel=Channel.APP_API, customer=reporter, received_at=now,
            service_code=fresh.service_code,
            summary=(description or f"Status {update.status}")
            + (f"\n\nNot recorded on a customer: {', '.join(unused)}" if unused else "")
            + f"\n\nUpdate through {client.name} (Open311)",
            handled_by=None, now=now,
            idempotency_key=f"open311:{client.name}:update:{fresh.pk}:{update_id}"[:200],
        )
        record_contact_outcome(contact=contact, outcome=ContactOutcome.CASE_LINKED,
                               note=fresh.reference, by=None, now=now)
        actor = client_actor(client)
        event = add_case_information(
            case=fresh, contact=contact, by=actor, now=now,
            text=description or f"{client.name}: status {update.status}",
            data={"source": SOURCE, "client": client.name, "client_update_id": update_id,
                  "client_status": update.status,
                  "updated_datetime": isoformat_london(update.updated_at),
                  **({"media_urls": media} if media else {})},
            audit_action="case.open311_update",
        )
        allowed = OUTCOMES_FOR_TYPE.get(fresh.case_type, GENERAL_OUTCOMES)
        if (update.resolve_with and fresh.status in OPEN_STATUSES
                and update.resolve_with in allowed):  # else the update alone is recorded
            resolve_case(case=case, outcome=update.resolve_with,
                         note=f"Reported on {client.name}", by=actor, now=now,
                         expected_version=fresh.version)
        elif update.reopen and fresh.status in (Status.RESOLVED, Status.CLOSED):
            reopen_case(case=case, reason=f"reported as still a problem on {client.name}",
                        by=actor, now=now, expected_version=fresh.version)
    return event


def _client_update_event(case: Case, client: ApiKey, update_id: str) -> CaseEvent | None:
    return CaseEvent.objects.filter(
        case=case, kind=EventKind.INFORMATION_ADDED, data__client=client.name,
        data__client_update_id=update_id,
    ).first()
