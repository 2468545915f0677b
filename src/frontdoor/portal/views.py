"""Resident portal pages: home, services A to Z, accessibility statement, privacy, error pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from frontdoor.council.config import WEEKDAYS, CouncilConfig, Office
from frontdoor.portal.pages import council_or_none, render_resident_page

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class ServiceEntry:
    code: str
    name: str
    description: str
    provided_by: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class OfficeEntry:
    name: str
    address: str
    phone: str
    hours: list[tuple[str, str]]  # ("Monday", "8:30am to 5pm"), in weekday order


def _services_a_to_z(config: CouncilConfig | None, lang: str) -> list[ServiceEntry]:
    if config is None:
        return []
    entries = [
        ServiceEntry(
            code=service.code,
            name=service.name.get(lang),
            description=service.description.get(lang) if service.description else "",
            provided_by=service.provided_by.name if service.provided_by else "",
            keywords=tuple(service.keywords),
        )
        for service in config.services
    ]
    return sorted(entries, key=lambda entry: entry.name.casefold())


def _matches(entry: ServiceEntry, words: list[str]) -> bool:
    """Every word of the search appears in the name, description or keywords."""
    haystack = " ".join((entry.name, entry.description, *entry.keywords)).casefold()
    return all(word in haystack for word in words)


def clock_time(moment: time) -> str:
    """09:00 -> "9am", 12:30 -> "12:30pm", 12:00 -> "midday" (GOV.UK style for times)."""
    hour, minute = moment.hour, moment.minute
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    if hour == 12 and minute == 0:
        return "midday"
    return f"{shown}{suffix}" if minute == 0 else f"{shown}:{minute:02d}{suffix}"


def office_entry(office: Office, lang: str) -> OfficeEntry:
    hours = []
    for day in WEEKDAYS:
        span = office.hours_for(day)
        shown = f"{clock_time(span.start)} to {clock_time(span.end)}" if span else "Closed"
        hours.append((day.capitalize(), shown))
    return OfficeEntry(office.name.get(lang), office.address, office.phone or "", hours)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    config = council_or_none()
    lang = getattr(request, "LANGUAGE_CODE", "en")
    offices = [office_entry(office, lang) for office in config.offices] if config else []
    emergency = config.emergency_contacts if config else []
    branding_name = config.council.name.get(lang) if config else None
    return render_resident_page(
        request,
        "portal/home.html",
        title=branding_name or "Council services",
        config=config,
        context={
            "services": _services_a_to_z(config, lang),
            "offices": offices,
            "emergency_contacts": emergency,
        },
    )


@require_safe
def services(request: HttpRequest) -> HttpResponse:
    config = council_or_none()
    lang = getattr(request, "LANGUAGE_CODE", "en")
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    entries = _services_a_to_z(config, lang)
    if query:
        words = query.casefold().split()
        entries = [entry for entry in entries if _matches(entry, words)]
    return render_resident_page(
        request,
        "portal/services.html",
        title="Services A to Z",
        config=config,
        context={"services": entries, "query": query, "nav_current": "services"},
    )


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render_resident_page(
        request,
        "portal/accessibility.html",
        title="Accessibility statement",
        config=council_or_none(),
        context={"site_host": request.get_host()},
    )


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render_resident_page(
        request, "portal/privacy.html", title="Privacy notice", config=council_or_none()
    )


# Error pages (wired as handler404/403/500 in frontdoor.urls): the resident layout, plain words.


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_resident_page(
        request, "portal/errors/404.html", title="Page not found", config=council_or_none(),
        status=404,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_resident_page(
        request,
        "portal/errors/403.html",
        title="You do not have permission to see this page",
        config=council_or_none(),
        status=403,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # The database may be what failed: do not let reading the council's name fail this page too.
    try:
        config = council_or_none()
    except Exception:
        config = None
    return render_resident_page(
        request,
        "portal/errors/500.html",
        title="Sorry, there is a problem with the service",
        config=config,
        status=500,
    )
