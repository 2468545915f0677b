"""Open311 GeoReport v2 endpoints with mySociety's extensions (docs/open311.md).

Every resource ends in `.xml` or `.json`; anything else is 404. POSTs authenticate with the
`api_key` form field (scope "open311"), so these machine endpoints are exempt from CSRF. GETs
need no key and ignore one if sent (FixMyStreet sends `api_key=` even when it has none).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from frontdoor.accounts.actions import record_api_key_use
from frontdoor.accounts.models import ApiKey
from frontdoor.accounts.queries import authenticate_api_key
from frontdoor.cases.open311_sync import (
    ClientUpdate,
    RequestFilters,
    StreetReport,
    get_request_for_open311,
    open_street_report,
    record_client_update,
    requests_for_open311,
    street_report_service,
    street_report_services,
    updates_between,
)
from frontdoor.core.errors import Forbidden, FrontDoorError, InvalidInput, NotFound
from frontdoor.core.time import parse_instant, to_london
from frontdoor.council.queries import current_council, current_council_version
from frontdoor.open311 import serialisers
from frontdoor.open311.render import FORMATS, errors, render
from frontdoor.open311.status_map import client_status

SCOPE = "open311"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_WINDOW = timedelta(days=90)  # GeoReport v2: a date range spans at most 90 days
REQUESTS_WINDOW = timedelta(days=90)  # default: the last 90 days (and at most 1,000)
UPDATES_WINDOW = timedelta(days=1)  # default for servicerequestupdates without dates
_ATTRIBUTE = re.compile(r"^attribute\[(?P<code>[^\]]+)\](?P<many>\[\])?$")
# An offset whose "+" arrived unencoded in a query string reads as a space.
_SPACE_OFFSET = re.compile(r"^(?P<moment>\d{4}-\d\d-\d\dT\S+) (?P<offset>\d\d:?\d\d)$")

View = Callable[..., HttpResponse]


def open311_endpoint(*methods: str) -> Callable[[View], View]:
    """Format suffix, method, jurisdiction and errors in GeoReport v2's shape for one view."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def endpoint(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                return HttpResponseNotFound("Bad extension. We support .xml and .json",
                                            content_type="text/plain; charset=utf-8")
            if request.method not in methods:
                response = errors(fmt, 405, [f"{request.method} is not supported here"])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                _check_jurisdiction(request)
                return view(request, fmt, **kwargs)
            except Forbidden as error:
                return errors(fmt, 403, [error.message])
            except NotFound as error:
                return errors(fmt, 404, [error.message])
            except FrontDoorError as error:
                field = f"{error.field}: " if error.field else ""
                return errors(fmt, 400, [f"{field}{error.message}"])

        return endpoint

    return decorate


# ------------------------------------------------------------------------------ discovery


@open311_endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    council = current_council()
    changeset = serialisers.when(current_council_version().loaded_at)
    contact = council.council
    body = {
        "changeset": changeset,
        "contact": f"{contact.name.get('en')}: {contact.email}, {contact.phone}",
        "key_service": f"Ask {contact.email} for an API key for your system",
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": request.build_absolute_uri("./"),
            "changeset": changeset,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }
    return render(fmt, "discovery", body)


# ------------------------------------------------------------------------------- services


@open311_endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    council = current_council()
    body = [serialisers.service_entry(council, s) for s in street_report_services()]
    return render(fmt, "services", body)


@open311_endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    service = street_report_service(service_code)
    body = {
        "service_code": service.code,
        "attributes": serialisers.service_attributes(current_council(), service),
    }
    return render(fmt, "service_definition", body)


# ------------------------------------------------------------------------------- requests


@open311_endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create_request(request, fmt)
    now = timezone.now()
    ids = _list(_param(request, "service_request_id"))
    states = [s.lower() for s in _list(_param(request, "status"))]
    for state in states:
        if state not in ("open", "closed"):
            raise InvalidInput("status", "invalid",
                               f"{state!r} is not a status: use open or closed")
    start = end = None
    if not ids:  # service_request_id overrides every other argument
        start, end = _window(request, now=now, default=REQUESTS_WINDOW)
    filters = RequestFilters(
        ids=tuple(ids),
        service_codes=tuple(_list(_param(request, "service_code"))),
        start=start,
        end=end,
        open_states=tuple(state == "open" for state in states),
    )
    council = current_council()
    found = requests_for_open311(filters)
    return render(fmt, "service_requests",
                  [serialisers.request_entry(item, council) for item in found])


@open311_endpoint("GET")
def service_request(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    found = get_request_for_open311(request_id)
    return render(fmt, "service_requests", [serialisers.request_entry(found, current_council())])


def _create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    now = timezone.now()
    client = _client(request, now=now)
    code = _param(request, "service_code").strip()
    if not code:
        raise InvalidInput("service_code", "required", "service_code is required")
    service = street_report_service(code)
    council = current_council()
    attributes = _attributes(request)
    answered = serialisers.description_question(council, service)
    if answered and not attributes.get(answered):
        attributes[answered] = _param(request, "description")
    report = StreetReport(
        service_code=code,
        latitude=_param(request, "lat"),
        longitude=_param(request, "long"),
        address_string=_param(request, "address_string"),
        address_id=_param(request, "address_id"),
        description=_param(request, "description"),
        email=_param(request, "email"),
        first_name=_param(request, "first_name"),
        last_name=_param(request, "last_name"),
        phone=_param(request, "phone"),
        attributes=attributes,
        required_attributes=serialisers.required_attribute_codes(council, service),
        media_urls=request.POST.getlist("media_url"),
        photos=[(f.name or key, f.read()) for key in sorted(request.FILES)
                for f in request.FILES.getlist(key)],
    )
    case = open_street_report(report=report, client=client, now=now)
    created: dict[str, Any] = {"service_request_id": case.reference}
    if case.promised_at is not None:
        created["service_notice"] = (
            f"We will reply by {to_london(case.promised_at):%A %-d %B %Y, %-H:%M}"
        )
    return render(fmt, "service_requests", [created])


@open311_endpoint("GET")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    # Requests are realtime: POST requests returns the service_request_id at once.
    raise NotFound(f"token {token!r} not found: this server issues no tokens")


# ---------------------------------------------------------------- servicerequestupdates


@open311_endpoint("GET", "POST")
def service_request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    now = timezone.now()
    if request.method == "POST":
        return _record_update(request, fmt, now=now)
    start, end = _window(request, now=now, default=UPDATES_WINDOW)
    body = [serialisers.update_entry(update) for update in updates_between(start, end)]
    return render(fmt, "service_request_updates", body)


def _record_update(request: HttpRequest, fmt: str, *, now: datetime) -> HttpResponse:
    client = _client(request, now=now)
    raw_status = _param(request, "status")
    status = client_status(raw_status)
    if status is None:
        raise InvalidInput("status", "invalid", f"{raw_status!r} is not an Open311 status")
    reference = _param(request, "service_request_id").strip()
    if not reference:
        raise InvalidInput("service_request_id", "required", "service_request_id is required")
    updated_raw = _param(request, "updated_datetime")
    if not updated_raw.strip():
        raise InvalidInput("updated_datetime", "required", "updated_datetime is required")
    update = ClientUpdate(
        service_request_id=reference,
        update_id=_param(request, "update_id"),
        status=status[0],
        updated_at=_instant(updated_raw, "updated_datetime"),
        description=_param(request, "description"),
        email=_param(request, "email"),
        first_name=_param(request, "first_name"),
        last_name=_param(request, "last_name"),
        phone=_param(request, "phone"),
        media_urls=request.POST.getlist("media_url"),
        resolve_with=status[1].resolve_with,
        reopen=status[1].reopen,
    )
    event = record_client_update(update=update, client=client, now=now)
    return render(fmt, "service_request_updates", [{"update_id": str(event.pk)}])


# -------------------------------------------------------------------------------- input


def _param(request: HttpRequest, name: str) -> str:
    source = request.POST if request.method == "POST" else request.GET
    return source.get(name, "") or ""


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _attributes(request: HttpRequest) -> dict[str, str | list[str]]:
    found: dict[str, str | list[str]] = {}
    for key in request.POST:
        match = _ATTRIBUTE.match(key)
        if match is None:
            continue
        values = request.POST.getlist(key)
        found[match["code"]] = values if match["many"] else (values[-1] if values else "")
    return found


def _client(request: HttpRequest, *, now: datetime) -> ApiKey:
    """The client's key from the POST body; Forbidden (403) if missing, unknown or revoked."""
    raw = request.POST.get("api_key", "")
    if not raw.strip():
        raise Forbidden("api_key is required: send your Open311 key in the api_key field")
    key = authenticate_api_key(raw_key=raw, scope=SCOPE)
    record_api_key_use(key=key, now=now)
    return key


def _check_jurisdiction(request: HttpRequest) -> None:
    """One council per instance: its web domain, or nothing, is the only jurisdiction_id."""
    given = _param(request, "jurisdiction_id").strip().lower().removeprefix("www.")
    ours = current_council().council.web_domain.lower().removeprefix("www.")
    if given and given != ours:
        raise NotFound(f"jurisdiction_id {given!r} not found: this server is {ours}",
                       field="jurisdiction_id")


def _instant(text: str, field: str) -> datetime:
    raw = text.strip()
    spaced = _SPACE_OFFSET.match(raw)
    if spaced is not None:
        raw = f"{spaced['moment']}+{spaced['offset']}"
    return parse_instant(raw, field=field)


def _window(
    request: HttpRequest, *, now: datetime, default: timedelta
) -> tuple[datetime, datetime]:
    """start_date/end_date (either may be missing), checked: in order, at most 90 days apart."""
    start_raw, end_raw = _param(request, "start_date"), _param(request, "end_date")
    start = _instant(start_raw, "start_date") if start_raw.strip() else None
    end = _instant(end_raw, "end_date") if end_raw.strip() else None
    if end is None:
        end = min(now, start + MAX_WINDOW) if start is not None else now
    if start is None:
        start = end - default
    if start > end:
        raise InvalidInput("start_date", "after_end", "start_date must not be after end_date")
    if end - start > MAX_WINDOW:
        raise InvalidInput("end_date", "too_long", "start_date to end_date spans over 90 days")
    return start, end
