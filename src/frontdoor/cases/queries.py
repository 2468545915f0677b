"""Cases: reads.

Who sees which cases (`cases_visible_to`), documented once here and used by every interface:
- agents: every case (the front line needs the whole picture); they cannot change team work;
- case officers and team leaders: cases of the teams they belong to;
- managers: cases of the teams they belong to or manage;
- administrators: none (the permission matrix keeps personal data from them: accounts.permissions);
- residents and API clients: none here (the portal and API have their own queries).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import F, Prefetch, QuerySet

from frontdoor.accounts.models import Role
from frontdoor.accounts.permissions import can, require
from frontdoor.accounts.queries import team_codes_for
from frontdoor.audit.actions import record_read
from frontdoor.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseParty, Status
from frontdoor.charter.calendar import calendars_for
from frontdoor.charter.models import Clock
from frontdoor.charter.queries import clock_state
from frontdoor.core.errors import Forbidden, InvalidInput, NotFound
from frontdoor.council.queries import current_council

if TYPE_CHECKING:
    from frontdoor.accounts.models import User

MAX_PAGE_SIZE = 200
# Worst first: a case is as late as its latest clock.
DUE_STATES = ("on_track", "at_risk", "breached")


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases `user` may see at all (see the module docstring); outside it is 404."""
    if not can(user, "case.view"):
        return Case.objects.none()
    if user.role == Role.AGENT:
        return Case.objects.all()
    return Case.objects.filter(team_code__in=team_codes_for(user))


@dataclass(frozen=True)
class QueueFilters:
    """Narrow a team queue. owner: a user id, "me" or "unassigned"."""

    statuses: tuple[str, ...] = tuple(sorted(OPEN_STATUSES))
    owner: int | str | None = None
    service_code: str | None = None
    case_type: str | None = None


@dataclass(frozen=True)
class QueuePage:
    cases: list[Case]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def team_queue(
    *,
    user: User,
    team_code: str,
    filters: QueueFilters | None = None,
    page: int = 1,
    page_size: int = 25,
) -> QueuePage:
    """A team's cases, soonest due first (no due date last), in a fixed number of queries.

    Each case comes with its owner, parties (with customers) and charter clocks loaded.
    """
    require(user, "queue.view_team")
    if team_code not in team_codes_for(user):
        raise Forbidden(f"You are not in the {team_code} team")
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput("page", "invalid", f"Pages start at 1 and hold 1 to {MAX_PAGE_SIZE}")
    filters = filters or QueueFilters()
    unknown = set(filters.statuses) - set(Status.values)
    if unknown:
        raise InvalidInput("statuses", "invalid", f"Unknown status {sorted(unknown)[0]!r}")
    queryset = Case.objects.filter(team_code=team_code, status__in=filters.statuses)
    if filters.owner == "unassigned":
        queryset = queryset.filter(owner__isnull=True)
    elif filters.owner == "me":
        queryset = queryset.filter(owner_id=user.pk)
    elif filters.owner is not None:
        queryset = queryset.filter(owner_id=int(filters.owner))
    if filters.service_code:
        queryset = queryset.filter(service_code=filters.service_code)
    if filters.case_type:
        queryset = queryset.filter(case_type=filters.case_type)
    total = queryset.count()
    start = (page - 1) * page_size
    cases = list(
        queryset.select_related("owner")
        .prefetch_related(
            Prefetch("parties", queryset=CaseParty.objects.select_related("customer")),
            Prefetch("clocks", queryset=Clock.objects.order_by("due_at", "id")),
        )
        .order_by(F("due_at").asc(nulls_last=True), "received_at", "id")[start : start + page_size]
    )
    return QueuePage(cases=cases, total=total, page=page, page_size=page_size)


def case_history(case: Case, customer_visible_only: bool = False) -> QuerySet[CaseEvent]:
    """The case's events, oldest first; only what the customer sees if asked."""
    events = CaseEvent.objects.filter(case=case).select_related("by").order_by("at", "id")
    if customer_visible_only:
        events = events.filter(customer_visible=True)
    return events


def get_case_for_staff(*, user: User, reference: str, now: datetime) -> Case:
    """A case by reference for a member of staff, audited as a read of personal data.

    Outside the user's visibility it does not exist (NotFound), so references cannot be probed.
    """
    case = (
        cases_visible_to(user)
        .select_related("owner", "created_by", "parent")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if case is None:
        raise NotFound(f"No case {reference!r}", field="reference")
    record_read(actor=user, object_type="case", object_id=case.pk, purpose="view case", at=now)
    return case


def case_due_state(case: Case, now: datetime) -> str:
    """on_track, at_risk or breached: the worst state of the case's open charter clocks.

    A case with no open clocks is on track (nothing is due).
    """
    clocks = case.clocks.all()  # type: ignore[attr-defined]  # reverse FK from charter.Clock
    open_clocks = [clock for clock in clocks if clock.stopped_at is None]
    if not open_clocks:
        return "on_track"
    calendars = calendars_for(current_council())
    # A paused clock is not getting later while it waits for the customer: on track.
    states = [clock_state(clock, now, calendars=calendars) for clock in open_clocks]
    return max((s if s in DUE_STATES else "on_track" for s in states), key=DUE_STATES.index)
