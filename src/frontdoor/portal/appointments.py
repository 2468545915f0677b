"""Book, change and cancel an appointment: at an office (face to face) or a phone call-back.

The booking journey keeps its answers in the session, one question a page (service, where,
day, time, your details, check answers), so it works without JavaScript and the back button
behaves. A booking is reached again through My Account (by reference) or the private link
in its confirmation (by token); anything else is 404.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from frontdoor.accounts.queries import resident_account_of
from frontdoor.appointments.actions import (
    BookingDetails,
    book_appointment,
    cancel_appointment,
    change_appointment,
    check_details,
)
from frontdoor.appointments.models import Appointment
from frontdoor.appointments.queries import (
    Access,
    Slot,
    appointment_for,
    available_slots,
    bookable_services,
    parse_slot_key,
    place_for,
    place_words,
    places_for,
    service_name,
    slots_by_day,
    upcoming_for_account,
    what_to_bring,
)
from frontdoor.core.errors import FrontDoorError, InvalidInput, NotFound
from frontdoor.core.time import to_london
from frontdoor.customers.validation import phone_for_display
from frontdoor.portal.account import (
    error_items,
    lang_of,
    public_url,
    render_account_page,
    resident_only,
)

SESSION = "appointment_booking"
DONE = "appointment_booked"
STEPS = ("service", "where", "day", "time", "details", "check")


# ----------------------------------------------------------------------------- helpers


def _page(request: HttpRequest, template: str, *, title: str,
          context: dict[str, Any] | None = None, errors: list[dict[str, str]] | None = None
          ) -> HttpResponse:
    response = render_account_page(request, f"portal/appointments/{template}", title=title,
                                   context={"nav_current": "", **(context or {})},
                                   errors=errors)
    response["Cache-Control"] = "private, no-store"
    return response


def _journey(request: HttpRequest) -> dict[str, Any]:
    state = request.session.get(SESSION)
    if not isinstance(state, dict):
        state = {"key": secrets.token_urlsafe(24)}
        request.session[SESSION] = state
    return state


def _save(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[SESSION] = state
    request.session.modified = True


def _step_url(step: str) -> str:
    return reverse("portal:appointments-book", args=[step])


def _day_label(day: date) -> str:
    return day.strftime("%A %-d %B %Y")


def _time_label(slot: Slot) -> str:
    return (to_london(slot.starts_at).strftime("%-I:%M%p").lower()
            + " " + _("to") + " " + to_london(slot.ends_at).strftime("%-I:%M%p").lower())


def _when(appointment: Appointment) -> str:
    local = to_london(appointment.starts_at)
    return local.strftime("%A %-d %B %Y, %-I:%M%p").replace("AM", "am").replace("PM", "pm")


def _is_resident(request: HttpRequest) -> bool:
    return resident_account_of(request.user) is not None


def _summary(appointment: Appointment, lang: str) -> dict[str, Any]:
    return {
        "reference": appointment.reference,
        "service": service_name(appointment.service_code, lang),
        "when": _when(appointment),
        "kind": appointment.kind,
        "place": place_words(appointment, lang),
        "bring": what_to_bring(appointment.service_code, lang),
        "status": appointment.get_status_display(),
        "active": appointment.is_active and appointment.starts_at > timezone.now(),
        "name": appointment.name,
        "email": appointment.email,
        "phone": phone_for_display(appointment.phone) if appointment.phone else "",
        "about": appointment.about,
    }


def _day_items(slots: list[Slot], chosen: str) -> list[dict[str, Any]]:
    return [
        {"value": day.isoformat(), "text": _day_label(day), "checked": day.isoformat() == chosen,
         "hint": {"text": _("%(count)d times available") % {"count": len(day_slots)}}}
        for day, day_slots in slots_by_day(slots).items()
    ]


def _time_items(slots: list[Slot], day: str, chosen: str) -> list[dict[str, Any]]:
    return [
        {"value": slot.key, "text": _time_label(slot), "checked": slot.key == chosen}
        for d, day_slots in slots_by_day(slots).items() if d.isoformat() == day
        for slot in day_slots
    ]


# ---------------------------------------------------------------------------- booking


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION, None)
    return HttpResponseRedirect(_step_url("service"))


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404("No such step")
    state = _journey(request)
    # A step is reachable only once the steps before it are answered.
    for earlier in STEPS[: STEPS.index(step)]:
        if earlier != "check" and not state.get(earlier):
            return HttpResponseRedirect(_step_url(earlier))
    return {
        "service": _service_step, "where": _where_step, "day": _day_step,
        "time": _time_step, "details": _details_step, "check": _check_step,
    }[step](request, state)


def _radio_step(request: HttpRequest, state: dict[str, Any], *, name: str, title: str,
                items: list[dict[str, Any]], error: str, next_step: str, back: str,
                hint: str = "", empty: str = "") -> HttpResponse:
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        value = str(request.POST.get(name, ""))
        if value in {str(i["value"]) for i in items}:
            state[name] = value
            for later in STEPS[STEPS.index(name) + 1:]:
                if later != "details":
                    state.pop(later, None)
            _save(request, state)
            return HttpResponseRedirect(_step_url(next_step))
        errors = [{"text": error, "href": f"#{name}"}]
    chosen = str(state.get(name, ""))
    for item in items:
        item["checked"] = str(item["value"]) == chosen
    return _page(request, "choose.html", title=title, errors=errors, context={
        "name": name, "items": items, "hint": hint, "back": back, "empty": empty,
        "action": _step_url(name),
    })


def _service_step(request: HttpRequest, state: dict[str, Any]) -> HttpResponse:
    lang = lang_of(request)
    items = [{"value": code, "text": service_name(code, lang)} for code in bookable_services()]
    return _radio_step(request, state, name="service", title=_("What is your appointment about?"),
                       items=items, error=_("Choose what your appointment is about"),
                       next_step="where", back=reverse("portal:home"))


def _where_step(request: HttpRequest, state: dict[str, Any]) -> HttpResponse:
    lang = lang_of(request)
    items = []
    for place in places_for(state["service"]):
        if place.kind == "phone":
            text = _("A phone call from us")
            hint = _("We phone you at the time you choose")
        else:
            text = _("Face to face at %(office)s") % {"office": place.office.name.get(lang)}
            hint = place.office.address
        items.append({"value": place.key, "text": text, "hint": {"text": hint}})
    return _radio_step(request, state, name="where", title=_("How would you like to meet us?"),
                       items=items, error=_("Choose how you would like to meet us"),
                       next_step="day", back=_step_url("service"))


def _slots(state: dict[str, Any]) -> list[Slot]:
    try:
        place = place_for(state["service"], state["where"])
    except InvalidInput:
        return []
    return available_slots(place=place, now=timezone.now())


def _day_step(request: HttpRequest, state: dict[str, Any]) -> HttpResponse:
    return _radio_step(request, state, name="day", title=_("Which day would suit you?"),
                       items=_day_items(_slots(state), ""),
                       error=_("Choose a day"), next_step="time", back=_step_url("where"),
                       empty=_("There are no free appointments in the next few weeks. "
                               "Call us and we will help."))


def _time_step(request: HttpRequest, state: dict[str, Any]) -> HttpResponse:
    day = str(state["day"])
    title = _("What time on %(day)s?") % {"day": _day_label(date.fromisoformat(day))}
    return _radio_step(request, state, name="time", title=title,
                       items=_time_items(_slots(state), day, ""), error=_("Choose a time"),
                       next_step="details", back=_step_url("day"),
                       empty=_("All the times on that day have gone. Choose another day."))


def _details_step(request: HttpRequest, state: dict[str, Any]) -> HttpResponse:
    errors: list[dict[str, str]] = []
    saved = state.get("details") or {}
    if not saved and _is_resident(request):
        user = request.user
        saved = {"name": getattr(user, "display_name", ""), "email": getattr(user, "email", "")}
    kind = str(state["where"]).split(":")[-1]
    if request.method == "POST":
        form = {f: str(request.POST.get(f, "")) for f in ("name", "email", "phone", "about")}
        try:
            clean = check_details(BookingDetails(**form), kind=kind)
        except InvalidInput as problem:
            errors, saved = error_items(problem), form
        else:
            state["details"] = {**form, "name": clean.name}
            _save(request, state)
            return HttpResponseRedirect(_step_url("check"))
    return _page(request, "details.html", title=_("Your details"), errors=errors, context={
        "form": saved, "phone_needed": kind == "phone", "back": _step_url("time"),
        "action": _step_url("details"),
    })


def _check_step(request: HttpRequest, state: dict[str, Any]) -> HttpResponse:
    lang = lang_of(request)
    if not state.get("details"):
        return HttpResponseRedirect(_step_url("details"))
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            booked = book_appointment(
                service_code=state["service"], place_key=state["where"],
                starts_at=parse_slot_key(state["time"]),
                details=BookingDetails(**state["details"]),
                account=request.user if _is_resident(request) else None,  # type: ignore[arg-type]
                manage_url=lambda token: public_url(
                    request, reverse("portal:appointment-manage", args=[token])),
                now=timezone.now(), idempotency_key=state["key"],
            )
        except FrontDoorError as problem:
            # The time went meanwhile, or is no longer offered: choose again.
            errors = [{"text": problem.message, "href": "#time"}]
        else:
            request.session.pop(SESSION, None)
            request.session[DONE] = {"reference": booked.appointment.reference,
                                     "token": booked.token}
            return HttpResponseRedirect(reverse("portal:appointments-booked"))
    place = place_for(state["service"], state["where"])
    slot_start = to_london(parse_slot_key(state["time"]))
    details = state["details"]
    rows = [
        ("service", _("About"), service_name(state["service"], lang)),
        ("where", _("How"), _("Phone call") if place.kind == "phone" else
         f"{place.office.name.get(lang)}, {place.office.address}"),
        ("day", _("Day"), _day_label(slot_start.date())),
        ("time", _("Time"), slot_start.strftime("%-I:%M%p").lower()),
        ("details", _("Name"), details.get("name", "")),
        ("details", _("Email"), details.get("email", "")),
        ("details", _("Phone"), details.get("phone", "")),
        ("details", _("What it is about"), details.get("about", "")),
    ]
    return _page(request, "check.html", title=_("Check your booking"), errors=errors, context={
        "rows": [{"step": s, "label": label, "value": value, "url": _step_url(s)}
                 for s, label, value in rows],
        "bring": what_to_bring(state["service"], lang), "back": _step_url("details"),
        "action": _step_url("check"),
    })


@require_safe
def booked(request: HttpRequest) -> HttpResponse:
    done = request.session.get(DONE)
    if not isinstance(done, dict):
        return HttpResponseRedirect(reverse("portal:appointments"))
    appointment = appointment_for(done["token"])
    manage = reverse("portal:appointment-manage", args=[done["token"]])
    return _page(request, "booked.html", title=_("Appointment booked"), context={
        "a": _summary(appointment, lang_of(request)), "manage_url": manage,
        "manage_link": public_url(request, manage),
    })


# ------------------------------------------------------------------- manage: account, link


@require_safe
@resident_only
def mine(request: HttpRequest) -> HttpResponse:
    lang = lang_of(request)
    rows = [
        {**_summary(a, lang), "url": reverse("portal:appointment-mine", args=[a.reference])}
        for a in upcoming_for_account(request.user, now=timezone.now())  # type: ignore[arg-type]
    ]
    return _page(request, "mine.html", title=_("Your appointments"), context={"rows": rows})


def _found(access: Access, reference: str = "") -> Appointment:
    try:
        return appointment_for(access, reference)
    except NotFound:
        raise Http404("No such appointment") from None


def _links(access: Access, appointment: Appointment) -> dict[str, str]:
    if isinstance(access, str):
        base = reverse("portal:appointment-manage", args=[access])
    else:
        base = reverse("portal:appointment-mine", args=[appointment.reference])
    return {"page": base, "change": f"{base}change/", "cancel": f"{base}cancel/"}


def _manage_page(request: HttpRequest, access: Access, reference: str = "") -> HttpResponse:
    appointment = _found(access, reference)
    response = _page(request, "manage.html", title=_("Your appointment"), context={
        "a": _summary(appointment, lang_of(request)), "links": _links(access, appointment),
        "notice": request.GET.get("done", ""),
    })
    # Private links stay off other sites; not no-referrer, which makes form posts Origin: null.
    response["Referrer-Policy"] = "same-origin"
    return response


def _change_page(request: HttpRequest, access: Access, reference: str = "") -> HttpResponse:
    appointment = _found(access, reference)
    links = _links(access, appointment)
    errors: list[dict[str, str]] = []
    try:
        place = place_for(appointment.service_code,
                          f"{appointment.office_code}:{appointment.kind}")
    except InvalidInput:
        raise Http404("Not bookable any more") from None
    slots = available_slots(place=place, now=timezone.now(), exclude=appointment)
    days = {d.isoformat() for d in slots_by_day(slots)}
    day = str(request.GET.get("day") or request.POST.get("day") or "")
    if request.method == "POST":
        try:
            starts_at = parse_slot_key(str(request.POST.get("time", "")), field="time")
            change_appointment(appointment=appointment, starts_at=starts_at, access=access,
                               manage_link=public_url(request, links["page"]),
                               now=timezone.now())
        except FrontDoorError as problem:
            errors = [{"text": problem.message, "href": "#time"}]
        else:
            return HttpResponseRedirect(f"{links['page']}?done=changed")
    elif request.GET.get("step") == "day" and day not in days:
        errors = [{"text": _("Choose a day"), "href": "#day"}]
    if day in days:
        title = _("What time on %(day)s?") % {"day": _day_label(date.fromisoformat(day))}
        return _page(request, "change.html", title=title, errors=errors, context={
            "name": "time", "items": _time_items(slots, day, ""), "day": day,
            "back": links["change"], "action": links["change"], "method": "post",
        })
    return _page(request, "change.html", title=_("Choose a new day"), errors=errors, context={
        "name": "day", "items": _day_items(slots, ""), "back": links["page"],
        "action": links["change"], "method": "get",
        "current": _when(appointment),
    })


def _cancel_page(request: HttpRequest, access: Access, reference: str = "") -> HttpResponse:
    appointment = _found(access, reference)
    links = _links(access, appointment)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            cancel_appointment(appointment=appointment, access=access, now=timezone.now(),
                               reason=str(request.POST.get("reason", ""))[:500])
        except FrontDoorError as problem:
            errors = [{"text": problem.message, "href": "#main-content"}]
        else:
            return HttpResponseRedirect(f"{links['page']}?done=cancelled")
    return _page(request, "cancel.html", title=_("Cancel your appointment"), errors=errors,
                 context={"a": _summary(appointment, lang_of(request)), "links": links})


@require_safe
@resident_only
def mine_page(request: HttpRequest, reference: str) -> HttpResponse:
    return _manage_page(request, request.user, reference)  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
@resident_only
def mine_change(request: HttpRequest, reference: str) -> HttpResponse:
    return _change_page(request, request.user, reference)  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
@resident_only
def mine_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    return _cancel_page(request, request.user, reference)  # type: ignore[arg-type]


@require_safe
def manage(request: HttpRequest, token: str) -> HttpResponse:
    return _manage_page(request, token)


@require_http_methods(["GET", "POST"])
def manage_change(request: HttpRequest, token: str) -> HttpResponse:
    return _change_page(request, token)


@require_http_methods(["GET", "POST"])
def manage_cancel(request: HttpRequest, token: str) -> HttpResponse:
    return _cancel_page(request, token)
