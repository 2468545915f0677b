"""Cases: reads.

Who sees which cases (`cases_visible_to`), documented once here and used by every interface:
- agents: every case (the front line needs the whole picture); they cannot change team work;
- case officers and team leaders: cases of the teams they belong to;
- managers: cases of the teams they belong to or manage;
- administrators: none (the permission matrix keeps personal data from them: accounts.permissions);
- residents and API clients: none here (the portal and API have their own queries).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, F, Prefetch, Q, QuerySet

from frontdoor.accounts.models import Role, RoleInTeam, TeamMembership, User
from frontdoor.accounts.permissions import can, require
from frontdoor.accounts.queries import team_codes_for
from frontdoor.audit.actions import record_read
from frontdoor.cases.models import (
    ALLOWED_TRANSITIONS,
    OPEN_STATUSES,
    Attachment,
    Case,
    CaseEvent,
    CaseParty,
    CaseType,
    Outcome,
    Status,
)
from frontdoor.charter.calendar import WorkingCalendar, calendars_for
from frontdoor.charter.models import Clock
from frontdoor.charter.queries import clock_state
from frontdoor.core.errors import Forbidden, InvalidInput, NotFound
from frontdoor.core.time import london_wall_time, to_london
from frontdoor.council.queries import current_council
from frontdoor.notifications.models import NEEDS_ATTENTION, Message
from frontdoor.notifications.queries import messages_for_subject

if TYPE_CHECKING:
    from frontdoor.customers.models import Customer

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
    # "overdue" (due before now), "today" (due from now to the end of today in London) or
    # "this_week" (from now to the end of Sunday in London); needs `now` on the query.
    due: str | None = None


DUE_FILTERS = {"overdue": "Overdue", "today": "Due later today", "this_week": "Due this week"}


# A queue counts its cases exactly up to this many (and always far enough past the page asked
# for to page on); beyond it the page says "more than …". Counting a 100,000-case queue
# exactly reads every row of the index on every page view, for a number nobody pages to.
QUEUE_COUNT_CAP = 1000
# How many pages past the one asked for the count always reaches (the pagination window).
QUEUE_COUNT_PAGES_AHEAD = 3


@dataclass(frozen=True)
class QueuePage:
    cases: list[Case]
    total: int  # exact when `total_is_exact`, else a lower bound ("more than total")
    page: int
    page_size: int
    total_is_exact: bool = True

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
    now: datetime | None = None,
) -> QueuePage:
    """A team's cases, soonest due first (no due date last), in a fixed number of queries.

    Each case comes with its owner, parties (with customers) and charter clocks loaded.
    """
    require(user, "queue.view_team")
    if team_code not in team_codes_for(user):
        raise Forbidden(f"You are not in the {team_code} team")
    queryset = Case.objects.filter(team_code=team_code)
    return _queue_page(queryset, user=user, filters=filters, page=page, page_size=page_size,
                       now=now)


def my_cases(
    *,
    user: User,
    filters: QueueFilters | None = None,
    page: int = 1,
    page_size: int = 25,
    now: datetime | None = None,
) -> QueuePage:
    """The signed-in officer's own cases in their teams, soonest due first (like a queue)."""
    require(user, "queue.view_team")
    queryset = Case.objects.filter(owner_id=user.pk, team_code__in=team_codes_for(user))
    return _queue_page(queryset, user=user, filters=filters, page=page, page_size=page_size,
                       now=now)


def _queue_page(
    queryset: QuerySet[Case],
    *,
    user: User,
    filters: QueueFilters | None,
    page: int,
    page_size: int,
    now: datetime | None,
) -> QueuePage:
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput("page", "invalid", f"Pages start at 1 and hold 1 to {MAX_PAGE_SIZE}")
    filters = filters or QueueFilters()
    unknown = set(filters.statuses) - set(Status.values)
    if unknown:
        raise InvalidInput("statuses", "invalid", f"Unknown status {sorted(unknown)[0]!r}")
    queryset = queryset.filter(status__in=filters.statuses)
    if filters.due:
        queryset = queryset.filter(_due_filter(filters.due, now))
    if filters.owner == "unassigned":
        queryset = queryset.filter(owner__isnull=True)
    elif filters.owner == "me":
        queryset = queryset.filter(owner_id=user.pk)
    elif filters.owner is not None:
        try:
            queryset = queryset.filter(owner_id=int(filters.owner))
        except ValueError:
            raise InvalidInput("owner", "invalid", "Choose an owner from the list") from None
    if filters.service_code:
        queryset = queryset.filter(service_code=filters.service_code)
    if filters.case_type:
        queryset = queryset.filter(case_type=filters.case_type)
    # Count at most `limit` rows: exact for any queue shorter than that, and `limit` always
    # reaches past the page asked for, so a page past the end still lands on the last page.
    limit = max(QUEUE_COUNT_CAP, (page + QUEUE_COUNT_PAGES_AHEAD) * page_size) + 1
    counted = queryset.order_by()[:limit].count()
    total_is_exact = counted < limit
    total = counted if total_is_exact else limit - 1
    page = min(page, max(1, -(-total // page_size)))  # past the end: the last page
    start = (page - 1) * page_size
    cases = list(
        queryset.select_related("owner")
        # A queue row shows none of the long text: leave it in the database.
        .defer("description", "form_answers", "outcome_note", "address")
        .prefetch_related(
            # A row names the customer: only the columns a name is made of.
            Prefetch("parties", queryset=CaseParty.objects.select_related("customer").only(
                "case_id", "role", "customer__kind", "customer__title", "customer__given_name",
                "customer__family_name", "customer__organisation_name", "customer__erased_at",
            )),
            Prefetch("clocks", queryset=Clock.objects.order_by("due_at", "id")),
        )
        .order_by(F("due_at").asc(nulls_last=True), "received_at", "id")[start : start + page_size]
    )
    return QueuePage(cases=cases, total=total, page=page, page_size=page_size,
                     total_is_exact=total_is_exact)


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


def _due_filter(due: str, now: datetime | None) -> Q:
    if due not in DUE_FILTERS:
        raise InvalidInput("due", "invalid", "Choose overdue, due today or due this week")
    if now is None:
        raise InvalidInput("due", "needs_now", "Filtering by due date needs the time now")
    today = to_london(now).date()
    if due == "overdue":
        return Q(due_at__lt=now)
    days_left = 1 if due == "today" else 7 - today.weekday()
    end = london_wall_time(today + timedelta(days=days_left), time(0, 0))
    return Q(due_at__gte=now, due_at__lt=end)


# ------------------------------------------------------------------------ due badges


@dataclass(frozen=True)
class DueBadge:
    """What a queue row or case page shows about a case's deadline at a glance."""

    state: str  # breached | at_risk | paused | due_today | on_track | none
    text: str  # "Breached", "At risk", "Paused", "Due today" ("" when nothing to flag)
    colour: str  # the GOV.UK tag colour modifier ("" is the default blue)


_BADGES = {
    "breached": ("Breached", "red"),
    "at_risk": ("At risk", "orange"),
    "paused": ("Paused", "grey"),
    "due_today": ("Due today", ""),  # the default (blue) tag
}


def due_badge(case: Case, now: datetime,
              calendars: Mapping[str, WorkingCalendar] | None = None) -> DueBadge:
    """The case's deadline state from its prefetched clocks: no query per case.

    Breached beats at risk beats due today; a case waiting on the customer (all its running
    clocks paused) is "Paused" unless a clock has already breached.
    """
    clocks = [c for c in case.clocks.all() if c.stopped_at is None]  # type: ignore[attr-defined]
    if not clocks:
        return DueBadge("none", "", "")
    calendars = calendars if calendars is not None else calendars_for(current_council())
    states = [clock_state(clock, now, calendars=calendars) for clock in clocks]
    if "breached" in states:
        key = "breached"
    elif all(s == "paused" for s in states):
        key = "paused"
    elif "at_risk" in states:
        key = "at_risk"
    elif case.due_at is not None and to_london(case.due_at).date() == to_london(now).date():
        key = "due_today"
    else:
        return DueBadge("on_track", "", "")
    text, colour = _BADGES[key]
    return DueBadge(key, text, colour)


def due_badges(cases: Iterable[Case], now: datetime) -> dict[int, DueBadge]:
    """due_badge for each case (clocks prefetched, as team_queue and my_cases load them)."""
    calendars = calendars_for(current_council())
    return {case.pk: due_badge(case, now, calendars) for case in cases}


# --------------------------------------------------------------------------- queues


@dataclass(frozen=True)
class QueueSummary:
    team_code: str
    team_name: str
    open_cases: int
    unassigned: int
    overdue: int


def queues_for(*, user: User, now: datetime) -> list[QueueSummary]:
    """The queues of the user's teams with open, unassigned and overdue counts (one query)."""
    require(user, "queue.view_team")
    codes = team_codes_for(user)
    rows = {
        row["team_code"]: row
        for row in Case.objects.filter(team_code__in=codes, status__in=OPEN_STATUSES)
        .values("team_code")
        .annotate(
            open_cases=Count("id"),
            unassigned=Count("id", filter=Q(owner__isnull=True)),
            overdue=Count("id", filter=Q(due_at__lt=now)),
        )
    }
    council = current_council()
    summaries = []
    for code in sorted(codes):
        try:
            name = council.team(code).name.get("en")
        except KeyError:
            name = code
        row = rows.get(code, {})
        summaries.append(QueueSummary(code, name, row.get("open_cases", 0),
                                      row.get("unassigned", 0), row.get("overdue", 0)))
    return sorted(summaries, key=lambda s: s.team_name)


CASEWORK_ROLES = (Role.CASE_OFFICER, Role.TEAM_LEADER, Role.MANAGER)


@dataclass(frozen=True)
class Officer:
    user: User
    role_in_team: str  # member | leader | manager

    @property
    def leads(self) -> bool:
        return self.role_in_team in (RoleInTeam.LEADER, RoleInTeam.MANAGER)


def team_officers(team_code: str) -> list[Officer]:
    """Active case officers, leaders and managers of a team (who its cases may go to), with
    their place in the team, in one query."""
    memberships = (
        TeamMembership.objects.filter(
            team_code=team_code, user__is_active=True, user__role__in=CASEWORK_ROLES
        )
        .select_related("user")
        .order_by("user__display_name", "user__email", "pk")
    )
    officers: dict[int, Officer] = {}
    for membership in memberships:
        officers.setdefault(membership.user_id, Officer(membership.user, membership.role_in_team))
    return list(officers.values())


def leads_team(user: User, officers: Iterable[Officer]) -> bool:
    """Whether `user` may share out this team's cases (a leader or manager in `officers`)."""
    return can(user, "case.reassign_any") and any(
        o.user.pk == user.pk and o.leads for o in officers
    )


def cases_for_bulk_assign(*, user: User, team_code: str, case_ids: Iterable[int]) -> list[Case]:
    """The chosen cases of one team the user works in (others do not exist for them)."""
    ids = sorted(set(case_ids))
    if not ids:
        raise InvalidInput("cases", "required", "Select at least one case to assign")
    found = list(cases_visible_to(user).filter(team_code=team_code, pk__in=ids).order_by("pk"))
    if len(found) != len(ids):
        raise NotFound("One of the selected cases is not in this queue", field="cases")
    return found


# ------------------------------------------------------------------------- case page


def case_for_staff_change(*, user: User, reference: str) -> Case:
    """The case a member of staff is about to change (404 outside their scope; no read logged:
    the change itself is recorded)."""
    case = cases_visible_to(user).filter(reference=reference.strip().upper()).first()
    if case is None:
        raise NotFound(f"No case {reference!r}", field="reference")
    return case


def case_by_reference_for(*, user: User, reference: str, field: str = "reference") -> Case:
    """Another case the user can see, named by reference (linking duplicates)."""
    reference = (reference or "").strip().upper()
    if not reference:
        raise InvalidInput(field, "required", "Enter the reference of the other case")
    case = cases_visible_to(user).filter(reference=reference).first()
    if case is None:
        raise InvalidInput(field, "not_found", f"There is no case {reference} that you can see")
    return case


@dataclass(frozen=True)
class CaseAbilities:
    """What the user may do on this case (so the page offers only what will work)."""

    work: bool = False  # change it: in the case's team with a casework role
    note: bool = False
    assign_others: bool = False  # a leader or manager of the case's team
    reopen: bool = False


@dataclass
class CasePage:
    case: Case
    badge: DueBadge
    customers: list[Customer]
    clocks: list[Clock]
    events: list[CaseEvent]
    attachments: list[Attachment]
    messages: list[Message]
    officers: list[Officer]
    abilities: CaseAbilities
    next_statuses: list[tuple[str, str]]
    outcomes: list[tuple[str, str]]
    can_acknowledge: bool
    last_event_id: int


def case_page_for_staff(*, user: User, reference: str, now: datetime) -> CasePage:
    """Everything the staff case page shows, in a fixed number of queries; the read is audited."""
    case = get_case_for_staff(user=user, reference=reference, now=now)
    in_team = case.team_code in team_codes_for(user) and user.role in CASEWORK_ROLES
    officers = team_officers(case.team_code) if in_team else []
    leads = in_team and leads_team(user, officers)
    abilities = CaseAbilities(
        work=in_team,
        note=can(user, "case.add_internal_note"),
        assign_others=leads,
        reopen=leads and can(user, "case.reopen"),
    )
    clocks = list(Clock.objects.filter(case_id=case.pk).order_by("due_at", "id"))
    case._prefetched_objects_cache = {"clocks": clocks}  # type: ignore[attr-defined]
    events = list(case_history(case))
    customers = [
        party.customer
        for party in CaseParty.objects.filter(case=case).select_related("customer").order_by("pk")
    ]
    next_statuses = [
        (status, Status(status).label)
        for status in Status.values
        if status in ALLOWED_TRANSITIONS[case.status]
        and status not in (Status.ASSIGNED, Status.RESOLVED, Status.CLOSED)
    ] if case.is_open else []
    from frontdoor.cases.actions import GENERAL_OUTCOMES, OUTCOMES_FOR_TYPE

    allowed = OUTCOMES_FOR_TYPE.get(case.case_type, GENERAL_OUTCOMES)
    return CasePage(
        case=case,
        badge=due_badge(case, now),
        customers=customers,
        clocks=clocks,
        events=events,
        attachments=list(Attachment.objects.filter(case=case).select_related("uploaded_by")),
        messages=list(messages_for_subject("case", case.reference).order_by("-created_at", "-id")),
        officers=officers,
        abilities=abilities,
        next_statuses=next_statuses,
        outcomes=[(o, Outcome(o).label) for o in Outcome.values if o in allowed],
        can_acknowledge=case.is_open and any(
            c.clock_name == "acknowledge" and c.stopped_at is None for c in clocks
        ) and case.case_type == CaseType.COMPLAINT,
        last_event_id=events[-1].pk if events else 0,
    )


def message_needs_decision(message: Message) -> bool:
    """Unknown or permanently failed, and nobody has decided what to do yet."""
    return message.status in NEEDS_ATTENTION and message.staff_decided_at is None


def case_message(*, case: Case, message_id: int) -> Message:
    """One message about the case (404 if it is about another subject)."""
    message = messages_for_subject("case", case.reference).filter(pk=message_id).first()
    if message is None:
        raise NotFound("No such message on this case", field="message")
    return message


def attachment_for_staff(*, user: User, reference: str, attachment_id: int,
                         now: datetime) -> Attachment:
    """A file on a case the user can see, audited as a read of personal data."""
    case = case_for_staff_change(user=user, reference=reference)
    attachment = Attachment.objects.filter(case=case, pk=attachment_id).first()
    if attachment is None:
        raise NotFound("No such file on this case", field="attachment")
    record_read(actor=user, object_type="case_attachment", object_id=attachment.pk,
                purpose=f"download a file of {case.reference}", at=now)
    return attachment


def events_since(page: CasePage, seen_event_id: int) -> list[CaseEvent]:
    """What happened on the case after the event the person last saw (conflict messages)."""
    return [event for event in page.events if event.pk > seen_event_id]
