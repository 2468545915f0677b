"""Team queues and "my cases": cases soonest due first, filters, taking and sharing out work."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from frontdoor.accounts.permissions import can
from frontdoor.cases.actions import bulk_assign
from frontdoor.cases.models import OPEN_STATUSES, Status
from frontdoor.cases.queries import (
    DUE_FILTERS,
    QueueFilters,
    QueuePage,
    cases_for_bulk_assign,
    due_badges,
    leads_team,
    my_cases,
    queues_for,
    team_officers,
    team_queue,
)
from frontdoor.console.pages import council_or_none, render_staff_page, staff_only
from frontdoor.core.errors import Conflict, Forbidden, FrontDoorError, InvalidInput, NotFound
from frontdoor.core.templating import london_time

PAGE_SIZE = 25
OPEN_STATUS_CHOICES = [(s, Status(s).label) for s in Status.values if s in OPEN_STATUSES]


@require_safe
@staff_only
def queue_list(request: HttpRequest) -> HttpResponse:
    """The queues of the teams the officer works in, with open, unassigned and overdue counts."""
    try:
        summaries = queues_for(user=request.user, now=timezone.now())  # type: ignore[arg-type]
    except Forbidden as error:
        raise PermissionDenied(error.message) from None
    return render_staff_page(request, "console/queues/list.html", title="Team queues",
                             nav="queues", context={"queues": summaries})


@require_safe
@staff_only
def queue(request: HttpRequest, team_code: str) -> HttpResponse:
    return _queue_response(request, team_code)


@require_safe
@staff_only
def my_cases_page(request: HttpRequest) -> HttpResponse:
    return _queue_response(request, None)


@require_POST
@staff_only
def bulk_assign_cases(request: HttpRequest, team_code: str) -> HttpResponse:
    """Assign the selected rows of a queue to one officer (leaders and managers)."""
    user: Any = request.user
    now = timezone.now()
    selected = request.POST.getlist("case")
    try:
        ids = [int(value) for value in selected]
        versions = {case_id: int(request.POST.get(f"version-{case_id}", "0")) for case_id in ids}
        owner_id = int(request.POST.get("owner") or 0)
    except ValueError:
        raise Http404("No such case") from None
    try:
        cases = cases_for_bulk_assign(user=user, team_code=team_code, case_ids=ids)
        officers = {o.user.pk: o.user for o in team_officers(team_code)}
        if owner_id not in officers:
            raise InvalidInput("owner", "required", "Choose who to assign the cases to")
        bulk_assign(cases=cases, owner=officers[owner_id], by=user, now=now,
                    expected_versions=versions)
    except NotFound as error:
        raise Http404(error.message) from None
    except Forbidden as error:
        raise PermissionDenied(error.message) from None
    except Conflict:
        return _queue_response(request, team_code, query=_return_query(request), status=409,
                               errors=[{"text": "Someone else changed one of the selected cases "
                                        "since you opened the queue. Nothing was assigned: "
                                        "check the queue below and try again.",
                                        "href": "#cases"}],
                               selected=selected, owner_choice=str(owner_id or ""))
    except FrontDoorError as error:
        href = "#owner" if getattr(error, "field", None) == "owner" else "#cases"
        return _queue_response(request, team_code, query=_return_query(request), status=400,
                               errors=[{"text": error.message, "href": href}],
                               selected=selected, owner_choice=str(owner_id or ""))
    name = officers[owner_id].display_name or officers[owner_id].email
    count = len(cases)
    messages.success(request, f"{count} case{'s' if count != 1 else ''} assigned to {name}")
    url = reverse("console:queue", args=[team_code])
    query = _return_query(request).urlencode()
    return redirect(f"{url}?{query}" if query else url)


def _return_query(request: HttpRequest) -> QueryDict:
    """The queue filters the bulk-assign form carried back (the person stays where they were)."""
    return QueryDict(request.POST.get("filters", ""))


def _filters_from(query: QueryDict) -> tuple[QueueFilters, dict[str, Any]]:
    statuses = tuple(s for s in query.getlist("status") if s in dict(OPEN_STATUS_CHOICES))
    service = str(query.get("service", ""))
    due = str(query.get("due", ""))
    due = due if due in DUE_FILTERS else ""
    owner_text = str(query.get("owner", ""))
    owner: int | str | None = None
    if owner_text in ("me", "unassigned"):
        owner = owner_text
    elif owner_text.isdigit():
        owner = int(owner_text)
    else:
        owner_text = ""
    chosen = {"service": service, "owner": owner_text, "due": due, "status": list(statuses)}
    filters = QueueFilters(
        statuses=statuses or QueueFilters().statuses,
        owner=owner,
        service_code=service or None,
        due=due or None,
    )
    return filters, chosen


def _page_number(query: QueryDict) -> int:
    value = query.get("page", "1")
    return max(1, int(value)) if value.isdigit() else 1


def _queue_response(
    request: HttpRequest,
    team_code: str | None,
    *,
    query: QueryDict | None = None,
    status: int = 200,
    errors: list[dict[str, str]] | None = None,
    selected: list[str] | None = None,
    owner_choice: str = "",
) -> HttpResponse:
    user: Any = request.user
    now = timezone.now()
    query = query if query is not None else request.GET
    filters, chosen = _filters_from(query)
    try:
        if team_code is None:
            page = my_cases(user=user, filters=filters, page=_page_number(query),
                            page_size=PAGE_SIZE, now=now)
        else:
            page = team_queue(user=user, team_code=team_code, filters=filters,
                              page=_page_number(query), page_size=PAGE_SIZE, now=now)
    except Forbidden as error:
        # A member of staff who works queues but not this team's: it does not exist for them.
        if team_code is not None and can(user, "queue.view_team"):
            raise Http404("No such queue") from None
        raise PermissionDenied(error.message) from None
    officers = team_officers(team_code) if team_code is not None else []
    leads = team_code is not None and leads_team(user, officers)
    config = council_or_none()
    team_name = _team_name(config, team_code) if team_code else ""
    title = f"{team_name} queue" if team_code else "My cases"
    services = []
    if config is not None and team_code is not None:
        services = [(s.code, s.name.get("en")) for s in config.services_of_team(team_code)]
    service_names = dict(services) if services else _all_service_names(config)
    base = (reverse("console:queue", args=[team_code]) if team_code
            else reverse("console:my-cases"))
    return render_staff_page(
        request,
        "console/queues/queue.html",
        title=title,
        nav="queues" if team_code else "my-cases",
        status=status,
        has_errors=bool(errors),
        context={
            "team_code": team_code,
            "page": page,
            "rows": _rows(page, now, service_names=service_names, user_id=user.pk),
            "leads": leads,
            "officers": [o.user for o in officers],
            "services": services,
            "service_names": service_names,
            "statuses": OPEN_STATUS_CHOICES,
            "due_filters": list(DUE_FILTERS.items()),
            "chosen": chosen,
            "selected_tags": _selected_tags(base, query, chosen, services, officers),
            "filters_query": _without(query, "page"),
            "pagination": _pagination(base, query, page),
            "errors": errors or [],
            "selected": set(selected or []),
            "owner_choice": owner_choice,
            "clear_url": base,
            "return_to": request.get_full_path(),
            "flashed": [str(m) for m in messages.get_messages(request)],
        },
    )


def _team_name(config: Any, team_code: str) -> str:
    if config is None:
        return team_code
    try:
        return str(config.team(team_code).name.get("en"))
    except KeyError:
        return team_code


def _all_service_names(config: Any) -> dict[str, str]:
    return {s.code: s.name.get("en") for s in config.services} if config else {}


# The colour of each status tag (the same as the `status_tag` macro on the case page).
STATUS_TAG_COLOURS = {"new": "grey", "assigned": "turquoise", "in_progress": "",
                      "waiting_on_customer": "yellow", "resolved": "green", "closed": "grey"}
STATUS_LABELS = dict(Status.choices)
# Case links are built from one reversed URL per page, not two `reverse()` calls per row.
_REFERENCE_SLOT = "REFERENCE-SLOT"


def _rows(page: QueuePage, now: Any, *, service_names: dict[str, str],
          user_id: int | None) -> list[dict[str, Any]]:
    """What each queue row shows, worked out here once rather than in template macros."""
    badges = due_badges(page.cases, now)
    case_url = reverse("console:case", args=[_REFERENCE_SLOT])
    take_url = reverse("console:case-change", args=[_REFERENCE_SLOT, "take"])
    rows = []
    for case in page.cases:
        parties = list(case.parties.all())  # type: ignore[attr-defined]  # prefetched
        owner = case.owner
        reference = quote(case.reference, safe="")
        rows.append({
            "case": case,
            "badge": badges[case.pk],
            "customer": parties[0].customer if parties else None,
            "href": case_url.replace(_REFERENCE_SLOT, reference),
            "take_href": take_url.replace(_REFERENCE_SLOT, reference)
            if case.owner_id != user_id else "",
            "service": service_names.get(case.service_code, case.service_code),
            "status_label": STATUS_LABELS.get(case.status, case.status),
            "status_colour": STATUS_TAG_COLOURS.get(case.status, ""),
            "owner": (owner.display_name or owner.email) if owner is not None else "Unassigned",
            "due_text": london_time(case.due_at, "%a %-d %b %Y, %-H:%M") if case.due_at else "",
            "due_sort": int(case.due_at.timestamp()) if case.due_at else 9999999999,
        })
    return rows


def _without(query: QueryDict, *names: str) -> str:
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def _selected_tags(base: str, query: QueryDict, chosen: dict[str, Any],
                   services: list[tuple[str, str]], officers: list[Any]) -> list[dict[str, Any]]:
    """MOJ filter "selected filters": one category per filter in use, each tag removes itself."""
    def remove(name: str, value: str | None = None) -> str:
        kept = query.copy()
        kept.pop("page", None)
        if value is None:
            kept.pop(name, None)
        else:
            kept.setlist(name, [v for v in kept.getlist(name) if v != value])
        encoded = kept.urlencode()
        return f"{base}?{encoded}" if encoded else base

    owners = {"me": "Me", "unassigned": "Unassigned",
              **{str(o.user.pk): o.user.display_name or o.user.email for o in officers}}
    categories = []
    if chosen["status"]:
        categories.append({"heading": "Status", "items": [
            {"text": Status(s).label, "href": remove("status", s)} for s in chosen["status"]]})
    if chosen["service"]:
        categories.append({"heading": "Service", "items": [
            {"text": dict(services).get(chosen["service"], chosen["service"]),
             "href": remove("service")}]})
    if chosen["owner"]:
        categories.append({"heading": "Owner", "items": [
            {"text": owners.get(chosen["owner"], "Someone else"), "href": remove("owner")}]})
    if chosen["due"]:
        categories.append({"heading": "Due", "items": [
            {"text": DUE_FILTERS[chosen["due"]], "href": remove("due")}]})
    return categories


PAGINATION_NEIGHBOURS = 2  # page links either side of the current page


def _pagination(base: str, query: QueryDict, page: QueuePage) -> dict[str, Any]:
    def link(number: int) -> str:
        kept = query.copy()
        kept["page"] = str(number)
        return f"{base}?{kept.urlencode()}"

    # The first page, the pages near this one and (when the count is exact) the last, with an
    # ellipsis for each gap: a handful of links however many pages the queue has.
    last_page = page.pages
    near = range(max(1, page.page - PAGINATION_NEIGHBOURS),
                 min(last_page, page.page + PAGINATION_NEIGHBOURS) + 1)
    numbers = sorted({1, *near, *([last_page] if page.total_is_exact else [])})
    items: list[dict[str, Any]] = []
    for number in numbers:
        if items and number > items[-1]["number"] + 1:
            items.append({"ellipsis": True, "number": number - 1})
        items.append({"number": number, "href": link(number), "current": number == page.page})
    if not page.total_is_exact:
        items.append({"ellipsis": True, "number": last_page + 1})
    for item in items:
        if item.get("ellipsis"):
            del item["number"]
    first = (page.page - 1) * page.page_size + 1 if page.total else 0
    more = page.page < last_page or not page.total_is_exact
    return {
        "items": items if last_page > 1 else [],
        "previous": {"href": link(page.page - 1)} if page.page > 1 else None,
        "next": {"href": link(page.page + 1)} if more else None,
        "first": first,
        "last": min(page.total, page.page * page.page_size),
        "total": page.total,
        "total_is_exact": page.total_is_exact,
    }
