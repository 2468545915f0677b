"""What a resident sees and does with their own requests, through My Account or a guest's link.

A resident reaches a case in exactly two ways: it was made through their My Account
(`Case.account`), or staff linked it to the account after checking the person's identity
(`CaseAccountLink`, made with `cases.actions.link_case_to_account`). Nothing ever matches cases to a
resident by email address or name. A guest reaches one case with the private tracking link
the confirmation page gave them (only the token's SHA-256 is stored). Anything else does not
exist for them: NotFound, so references and ids cannot be probed.

Residents see customer-visible events only (never internal notes), and customer-visible
files only, served through a view that checks this access (uploads are not public).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from frontdoor.accounts.models import User
from frontdoor.accounts.permissions import require
from frontdoor.accounts.queries import resident_account_of
from frontdoor.cases.actions import (
    add_attachment,
    add_case_information,
    open_case,
    reopen_case,
    reopen_deadline,
)
from frontdoor.cases.actors import Actor
from frontdoor.cases.models import (
    Attachment,
    AttachmentSource,
    Case,
    CaseAccountLink,
    CaseEvent,
    CaseType,
    EventKind,
    PartyRole,
    Status,
)
from frontdoor.cases.uploads import CheckedFile, check_upload
from frontdoor.cases.web_forms import tracking_token_hash
from frontdoor.contacts.actions import log_contact
from frontdoor.core.errors import Conflict, InvalidInput, NotFound
from frontdoor.core.time import require_aware
from frontdoor.council.errors import UnknownCode
from frontdoor.council.queries import current_council
from frontdoor.customers.models import Address, Customer
from frontdoor.customers.self_service import (
    add_my_address,
    customer_for_account,
    tell_us_once_services,
)

MAX_INFORMATION_LENGTH = 5000
MAX_FILES = 5
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
_REFERENCE = re.compile(r"^[A-Z]{2,4}-\d{4}-\d{6,}$")

# The resident's words for each status and each kind of event on their timeline.
RESIDENT_STATUS: dict[str, str] = {
    Status.NEW: "Received",
    Status.ASSIGNED: "With the team",
    Status.IN_PROGRESS: "In progress",
    Status.WAITING_ON_CUSTOMER: "Waiting for you",
    Status.RESOLVED: "Resolved",
    Status.CLOSED: "Closed",
}
RESIDENT_EVENT: dict[str, str] = {
    EventKind.OPENED: "Request received",
    EventKind.MESSAGE_SENT: "Update from the council",
    EventKind.DEADLINE_EXTENDED: "Date changed",
    EventKind.RESOLVED: "Resolved",
    EventKind.REOPENED: "Reopened",
    EventKind.ATTACHMENT_ADDED: "File added",
    EventKind.INFORMATION_ADDED: "You added information",
    EventKind.ACCOUNT_LINKED: "Added to your account",
    EventKind.STATUS_CHANGED: "Status changed",
}

Access = User | str  # the signed-in resident, or a guest's tracking token


# ------------------------------------------------------------------------------- reads


def cases_for_account(account: User) -> QuerySet[Case]:
    """Cases made through this confirmed My Account or linked to it by staff; newest first."""
    if resident_account_of(account) is None:
        return Case.objects.none()
    linked = CaseAccountLink.objects.filter(account_id=account.pk).values("case_id")
    return Case.objects.filter(Q(account_id=account.pk) | Q(pk__in=linked)).order_by(
        "-received_at", "-pk"
    )


def case_for_account(account: User, reference: str) -> Case:
    """One of the resident's cases by reference; NotFound for anyone else's (or none)."""
    reference = (reference or "").strip().upper()
    if not _REFERENCE.match(reference):
        raise NotFound("No such request", field="reference")
    case = cases_for_account(account).filter(reference=reference).first()
    if case is None:
        raise NotFound("No such request", field="reference")
    return case


def case_for_tracking_token(token: str) -> Case:
    """The case a guest's private tracking link is for; NotFound for any other token."""
    if not _TOKEN.match(token or ""):
        raise NotFound("No such request", field="token")
    case = Case.objects.filter(tracking_token_hash=tracking_token_hash(token)).first()
    if case is None:
        raise NotFound("No such request", field="token")
    return case


def _case_for(access: Access, case: Case) -> Case:
    """The case again, if `access` reaches it (an action never trusts what the view looked up)."""
    if isinstance(access, str):
        found = case_for_tracking_token(access)
        if found.pk != case.pk:
            raise NotFound("No such request", field="token")
        return found
    require(access, "portal.use")
    if not cases_for_account(access).filter(pk=case.pk).exists():
        raise NotFound("No such request", field="reference")
    return case


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    text: str


def resident_case_timeline(case: Case) -> list[TimelineEntry]:
    """The case's history as the resident sees it: customer-visible events only."""
    events = CaseEvent.objects.filter(case_id=case.pk, customer_visible=True).order_by("at", "pk")
    return [
        TimelineEntry(at=e.at, title=RESIDENT_EVENT.get(e.kind, e.get_kind_display()),
                      text=e.summary)
        for e in events
    ]


@dataclass(frozen=True)
class RequestDetails:
    case: Case
    status: str
    service_name: str
    team_name: str
    officer_name: str
    promised_at: datetime | None
    extension_reason: str
    timeline: list[TimelineEntry]
    files: list[Attachment]
    can_add_information: bool
    reopen_until: datetime | None  # a resolved case can be reopened until then
    can_reopen: bool


def _names(case: Case, lang: str) -> tuple[str, str, str]:
    council = current_council()
    try:
        service = council.service(case.service_code).name.get(lang)
    except UnknownCode:
        service = case.title
    try:
        team = council.team(case.team_code).name.get(lang)
    except UnknownCode:
        team = ""
    officer = ""
    if case.owner_id is not None and council.notifications.show_officer_names:
        officer = case.owner.display_name if case.owner else ""
    return service, team, officer


def request_details(case: Case, *, lang: str, now: datetime) -> RequestDetails:
    """What the request page shows: status, who is dealing with it, dates, history, files."""
    service, team, officer = _names(case, lang)
    extension = (
        CaseEvent.objects.filter(case_id=case.pk, kind=EventKind.DEADLINE_EXTENDED,
                                 customer_visible=True)
        .order_by("-at", "-pk")
        .first()
    )
    until = reopen_deadline(case)
    return RequestDetails(
        case=case,
        status=RESIDENT_STATUS.get(case.status, case.get_status_display()),
        service_name=service,
        team_name=team,
        officer_name=officer,
        promised_at=case.promised_at if case.is_open else None,
        extension_reason=str((extension.data or {}).get("reason", "")) if extension else "",
        timeline=resident_case_timeline(case),
        files=list(Attachment.objects.filter(case_id=case.pk, customer_visible=True)),
        can_add_information=case.is_open,
        reopen_until=until,
        can_reopen=until is not None and now <= until,
    )


@dataclass(frozen=True)
class RequestSummary:
    reference: str
    title: str
    service_name: str
    status: str
    received_at: datetime
    promised_at: datetime | None
    is_open: bool


def requests_for_account(account: User, *, lang: str) -> list[RequestSummary]:
    """The resident's requests for the list page, in one query."""
    council = current_council()
    names = {s.code: s.name.get(lang) for s in council.services}
    return [
        RequestSummary(
            reference=c.reference, title=c.title, service_name=names.get(c.service_code, c.title),
            status=RESIDENT_STATUS.get(c.status, c.status), received_at=c.received_at,
            promised_at=c.promised_at if c.is_open else None, is_open=c.is_open,
        )
        for c in cases_for_account(account).only(
            "reference", "title", "service_code", "status", "received_at", "promised_at"
        )
    ]


def attachment_for(access: Access, case: Case, attachment_id: int) -> Attachment:
    """A customer-visible file on a case the resident or guest reaches; NotFound otherwise."""
    case = _case_for(access, case)
    attachment = Attachment.objects.filter(
        pk=attachment_id, case_id=case.pk, customer_visible=True
    ).first()
    if attachment is None:
        raise NotFound("No such file", field="attachment")
    return attachment


# ----------------------------------------------------------------------------- actions


def _actor(access: Access) -> Actor:
    return Actor.guest(access) if isinstance(access, str) else Actor.of(access)


def _customer_of(case: Case) -> Customer | None:
    party = case.parties.filter(role=PartyRole.CUSTOMER).select_related("customer").first()
    return party.customer if party is not None else None


def add_information(
    *,
    case: Case,
    text: str,
    files: Sequence[tuple[str, bytes]],
    account_or_token: Access,
    now: datetime,
) -> CaseEvent:
    """The resident adds information or files to an open request.

    It is recorded as an online-form contact linked to the case, a customer-visible event
    and the checked files (a file that is not what it claims to be is refused). Nothing is
    stored unless all of it is.
    """
    require_aware(now)
    case = _case_for(account_or_token, case)
    text = (text or "").strip()
    if len(text) > MAX_INFORMATION_LENGTH:
        raise InvalidInput("information", "too_long",
                           f"Information must be {MAX_INFORMATION_LENGTH} characters or fewer")
    if len(files) > MAX_FILES:
        raise InvalidInput("files", "too_many", f"Choose {MAX_FILES} files or fewer")
    checked: list[CheckedFile] = [
        check_upload(name=name, content=content, field="files") for name, content in files
    ]
    if not text and not checked:
        raise InvalidInput("information", "required", "Enter the information or choose a file")
    resident = account_or_token if isinstance(account_or_token, User) else None
    actor = _actor(account_or_token)
    with transaction.atomic():
        summary = text or "Files added"
        contact = log_contact(
            channel="web_form", customer=_customer_of(case), received_at=now,
            service_code=case.service_code or None,
            summary=f"Further information on {case.reference}: {summary}"[:2000],
            handled_by=None, now=now,
        )
        event = add_case_information(
            case=case, text=summary, contact=contact, by=actor, now=now,
            data={"files": [f.name for f in checked], "via": actor.via},
        )
        for upload in checked:
            add_attachment(case=case, upload=upload, source=AttachmentSource.PORTAL, by=resident,
                           now=now, contact=contact)
    return event


def reopen_by_resident(
    *, case: Case, reason: str, account_or_token: Access, now: datetime
) -> Case:
    """Reopen a resolved request with a reason, within the council's set number of days."""
    require_aware(now)
    case = _case_for(account_or_token, case)
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("reason", "required", "Tell us why you want to reopen this request")
    if len(reason) > MAX_INFORMATION_LENGTH:
        raise InvalidInput("reason", "too_long",
                           f"The reason must be {MAX_INFORMATION_LENGTH} characters or fewer")
    return reopen_case(case=case, reason=reason, by=_actor(account_or_token), now=now,
                       expected_version=None)


@dataclass(frozen=True)
class AddressChange:
    address: Address
    told: list[Case]  # the internal cases opened for the services the resident chose


def change_my_address(
    *, account: User, line1: str, line2: str, town: str, postcode: str, now: datetime
) -> AddressChange:
    """Record my new address and tell the services I chose ("tell us once").

    For each team behind the chosen services an internal enquiry, "Change of address (tell
    us once)", is opened for the team to update its own records. The resident is not sent an
    acknowledgement for each: these are the council's own work.
    """
    with transaction.atomic():
        address = add_my_address(account=account, line1=line1, line2=line2, town=town,
                                 postcode=postcode, now=now)
        customer = customer_for_account(account)
        if customer is None:  # pragma: no cover - add_my_address needs the customer
            raise Conflict("This account has no customer record")
        council = current_council()
        by_team: dict[str, list[str]] = {}
        for code in tell_us_once_services(customer):
            try:
                team = council.service(code).team
            except UnknownCode:
                continue  # a service the council no longer offers
            by_team.setdefault(team, []).append(code)
        told = []
        for team, codes in by_team.items():
            names = ", ".join(council.service(c).name.get("en") for c in codes)
            told.append(open_case(
                case_type=CaseType.ENQUIRY, service_code=codes[0], customer=customer,
                contact=None, title="Change of address (tell us once)",
                description=(
                    f"{customer.display_name} told us through My Account that they have moved "
                    f"to: {address}. They asked us to tell: {names}. Please update your "
                    "records."
                ),
                received_at=now, channel="web_form", by=account, now=now, team_code=team,
                idempotency_key=f"tell-us-once:{address.pk}:{team}", acknowledge=False,
            ))
    return AddressChange(address=address, told=told)
