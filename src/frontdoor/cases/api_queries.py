"""Cases: reads for the REST API (partner systems with an API key, and signed-in staff).

Staff see what `cases_visible_to` gives them. An API client holding the `cases:read` scope
(checked at the edge) sees every case: the key is issued to a trusted council system.
Reading one case records the read in the audit trail, as the staff console does.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet

from frontdoor.accounts.models import Role
from frontdoor.accounts.permissions import can
from frontdoor.audit.actions import record_read
from frontdoor.cases.models import Case, CaseEvent, Status
from frontdoor.cases.queries import cases_visible_to, get_case_for_staff
from frontdoor.core.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from frontdoor.accounts.models import User

MAX_LIMIT = 200


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


def cases_visible_to_api(user: User) -> QuerySet[Case]:
    """Every case for an API client; a member of staff's own visibility otherwise."""
    if getattr(user, "role", None) == Role.API_CLIENT and can(user, "api.use"):
        return Case.objects.all()
    return cases_visible_to(user)


def get_case_for_api(*, user: User, reference: str, now: datetime) -> Case:
    """A case by reference (NotFound outside what the user may see), the read audited."""
    if getattr(user, "role", None) != Role.API_CLIENT:
        return get_case_for_staff(user=user, reference=reference, now=now)
    case = (
        cases_visible_to_api(user)
        .prefetch_related("parties")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if case is None:
        raise NotFound(f"No case {reference!r}", field="reference")
    record_read(actor=user, object_type="case", object_id=case.pk, purpose="API: read case",
                at=now)
    return case


@dataclass(frozen=True)
class CaseListFilters:
    statuses: tuple[str, ...] = ()
    service_code: str | None = None
    team_code: str | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None


@dataclass(frozen=True)
class CaseListPage:
    cases: list[Case]
    next_cursor: str | None


def encode_cursor(case_id: int) -> str:
    return base64.urlsafe_b64encode(f"c{case_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith("c"):
            raise ValueError(text)
        return int(text[1:])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("cursor", "invalid", "That cursor did not come from this API") from None


def list_cases_for_api(
    *, user: User, filters: CaseListFilters, cursor: str | None = None, limit: int = 50
) -> CaseListPage:
    """Cases newest first (by id: a stable order), `limit` at a time; pass next_cursor on."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", "invalid", f"limit is 1 to {MAX_LIMIT}")
    unknown = set(filters.statuses) - set(Status.values)
    if unknown:
        raise InvalidInput("status", "invalid", f"Unknown status {sorted(unknown)[0]!r}")
    queryset = cases_visible_to_api(user)
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    if filters.service_code:
        queryset = queryset.filter(service_code=filters.service_code)
    if filters.team_code:
        queryset = queryset.filter(team_code=filters.team_code)
    if filters.received_from:
        queryset = queryset.filter(received_at__gte=filters.received_from)
    if filters.received_to:
        queryset = queryset.filter(received_at__lt=filters.received_to)
    if filters.updated_from or filters.updated_to:
        # A case is updated when something happens on it (its history is the record of that).
        events = CaseEvent.objects.filter(case_id=OuterRef("pk"))
        if filters.updated_from:
            events = events.filter(at__gte=filters.updated_from)
        if filters.updated_to:
            events = events.filter(at__lt=filters.updated_to)
        queryset = queryset.filter(Exists(events))
    if cursor:
        queryset = queryset.filter(pk__lt=_decode_cursor(cursor))
    cases = list(queryset.prefetch_related("parties").order_by("-pk")[: limit + 1])
    more = len(cases) > limit
    cases = cases[:limit]
    return CaseListPage(cases=cases, next_cursor=encode_cursor(cases[-1].pk) if more else None)


def find_case_for_api(*, user: User, reference: str) -> Case:
    """The case to change (locked and re-checked by the action); NotFound if not visible."""
    case = cases_visible_to_api(user).filter(reference=reference.strip().upper()).first()
    if case is None:
        raise NotFound(f"No case {reference!r}", field="reference")
    return case
