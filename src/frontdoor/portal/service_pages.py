"""A page per service: what it is, what you need, how long it takes, the ways to do it.

"How long it takes" is the charter's deadline standard for online forms of the service's case
type, in words and as the date it would be if sent now. Offices' opening hours, bank holidays
(the charter calendar's nation) and closure days decide whether the offices are open now and
when they next open; when all are closed the page gives the out-of-hours emergency numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from frontdoor.cases.messages import long_date
from frontdoor.charter.calendar import NATION_HOLIDAY_REGIONS, WorkingCalendar, weekly_hours
from frontdoor.charter.queries import applicable_standards, due_for
from frontdoor.core.time import to_london
from frontdoor.council.config import (
    CouncilConfig,
    DeadlineStandard,
    Office,
    OnlineForm,
    Service,
)
from frontdoor.council.errors import UnknownCode
from frontdoor.portal.pages import council_or_none, render_resident_page
from frontdoor.portal.views import clock_time, office_entry


@dataclass(frozen=True)
class Promise:
    words: str  # "We reply within 5 working days"
    example: str  # "If you send it now, we will reply by Monday 12 January 2026"


@dataclass(frozen=True)
class OfficesNow:
    open_now: bool
    next_opening: str  # "Monday 5 January 2026 at 8:30am"; "" when open or never


_VERBS = {"respond": "We reply", "acknowledge": "We acknowledge your request",
          "callback": "We call you back", "review": "We review it"}


def charter_promise(config: CouncilConfig, service: Service, *, case_type: str | None,
                    now: datetime) -> Promise | None:
    """The web-form deadline that applies to the service, in plain words (None if none does)."""
    found = applicable_standards(config=config, channel="web_form",
                                 case_type=case_type or service.case_type,
                                 service_code=service.code)
    if not found:
        return None
    chosen = next((s for s in found if s.clock == "respond"), found[0])
    standard = config.standard(chosen.id)
    if not isinstance(standard, DeadlineStandard):  # pragma: no cover - deadlines only
        return None
    verb = _(_VERBS.get(standard.clock, "We reply"))
    amount, unit = standard.period.amount, standard.period.unit
    if unit == "working_days" and amount == 1:
        words = _("%(verb)s by the end of the next working day") % {"verb": verb}
    elif unit == "working_days":
        words = _("%(verb)s within %(n)s working days") % {"verb": verb, "n": amount}
    elif unit == "working_hours":
        words = ngettext("%(verb)s within %(n)s working hour",
                         "%(verb)s within %(n)s working hours", amount) % {"verb": verb,
                                                                           "n": amount}
    else:
        words = ngettext("%(verb)s within %(n)s calendar month",
                         "%(verb)s within %(n)s calendar months", amount) % {"verb": verb,
                                                                             "n": amount}
    due = due_for(standard_id=standard.id, config=config, received_at=now)
    example = _("If you send it now, we will reply by %(date)s") % {"date": long_date(due)}
    return Promise(words, example)


def office_calendar(config: CouncilConfig, office: Office) -> WorkingCalendar:
    """The office's opening hours, less the nation's bank holidays and the closure days."""
    hours = weekly_hours({day: str(span) for day, span in office.opening_hours.items()})
    return WorkingCalendar(kind="charter", hours=hours,
                           holiday_regions=NATION_HOLIDAY_REGIONS[config.council.nation],
                           closure_days=config.calendar.closure_dates)


def offices_now(config: CouncilConfig, offices: list[Office], now: datetime) -> OfficesNow:
    if not offices:
        return OfficesNow(open_now=False, next_opening="")
    calendars = [office_calendar(config, office) for office in offices]
    # Open means before closing time: at 17:00 exactly the doors have shut.
    if any(c.is_within_hours(now) and not _at_closing(c, now) for c in calendars):
        return OfficesNow(open_now=True, next_opening="")
    opening = min(c.clock_start(now + timedelta(seconds=1)) for c in calendars)
    local = to_london(opening)
    return OfficesNow(open_now=False, next_opening=_("%(day)s at %(time)s") % {
        "day": f"{local:%A %-d %B %Y}", "time": clock_time(time(local.hour, local.minute))})


def what_you_need(forms: list[OnlineForm], lang: str) -> list[str]:
    """What to have ready: the form's own list, else what its questions ask for."""
    needed: list[str] = []
    for form in forms[:1]:
        needed.extend(item.get(lang) for item in form.what_you_need)
        if needed:
            return needed
        types = {field.type for field in form.fields}
        if "location" in types:
            needed.append(_("where it is: the street and the nearest house number or landmark"))
        if "address" in types:
            needed.append(_("the full address, including the postcode"))
        if "date" in types:
            needed.append(_("the dates involved"))
        if "file" in types:
            needed.append(_("a photo or document, if you have one (JPG, PNG or PDF, up to 10MB)"))
        needed.append(_("an email address, if you want updates by email"))
    return needed


def _at_closing(calendar: WorkingCalendar, now: datetime) -> bool:
    local = to_london(now)
    return calendar.closing_time(local.date()) <= now


@require_safe
def service_page(request: HttpRequest, service_code: str) -> HttpResponse:
    config = council_or_none()
    if config is None:
        raise Http404("No council is loaded")
    try:
        service = config.service(service_code)
    except UnknownCode:
        raise Http404("No such service") from None
    lang = getattr(request, "LANGUAGE_CODE", "en")
    now = timezone.now()
    forms = config.forms_for(service.code)
    offices = [office for office in config.offices if office.handles(service.code)]
    promise = None
    if service.provided_by is None:
        promise = charter_promise(config, service,
                                  case_type=forms[0].case_type if forms else None, now=now)
    return render_resident_page(
        request,
        "portal/service/service.html",
        title=service.name.get(lang),
        config=config,
        context={
            "service": service,
            "description": service.description.get(lang) if service.description else "",
            "team": config.team(service.team).name.get(lang),
            "forms": forms,
            "what_you_need": what_you_need(forms, lang),
            "promise": promise,
            "offices": [office_entry(office, lang) for office in offices],
            "offices_now": offices_now(config, offices, now),
            "emergency_contacts": config.emergency_contacts,
            "by_phone": "phone" in service.channels,
            "face_to_face": "face_to_face" in service.channels and bool(offices),
            "nav_current": "services",
        },
    )
