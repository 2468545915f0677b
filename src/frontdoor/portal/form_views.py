"""Online forms in the portal: one question (or a few small ones) per page, check, send.

Each view reads the resident's progress from the session (`forms_engine`), calls one action
or query of `cases.web_forms`, and renders or redirects. Works without JavaScript; a
double click or a refresh after sending never makes a second case (the journey's key).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from frontdoor.cases.form_fields import FieldError, UploadedFile
from frontdoor.cases.messages import long_date
from frontdoor.cases.uploads import MAX_UPLOAD_BYTES
from frontdoor.cases.web_forms import (
    CustomerDetails,
    add_me_to_report,
    answer_form_page,
    draft_for_resume,
    find_form,
    forward_to_provider,
    nearby_open_reports,
    new_form_state,
    record_contact_details,
    submit_online_form,
)
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.core.templating import render_page
from frontdoor.council.config import OnlineForm, Service
from frontdoor.portal import forms_engine as engine
from frontdoor.portal.pages import council_or_none, resident_branding


def _form(service_code: str, form_code: str) -> tuple[Service, OnlineForm]:
    if council_or_none() is None:
        raise Http404("No council is loaded")
    try:
        return find_form(service_code, form_code)
    except NotFound:
        raise Http404("No such form") from None


def _render(request: HttpRequest, template: str, *, title: str, context: dict[str, Any],
            errors: list[dict[str, str]] | None = None) -> HttpResponse:
    config = council_or_none()
    lang = getattr(request, "LANGUAGE_CODE", "en")
    return render_page(
        request, template, title=title, branding=resident_branding(config, lang),
        context={"council": config, "lang": lang, "errors": errors or [],
                 "nav_current": "services", **context},
        has_errors=bool(errors),
    )


def _lang(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "en")


def _redirect(service: Service, form: OnlineForm, page: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(engine.page_url(service.code, form.code, page))


def _details(state: dict[str, Any]) -> CustomerDetails | None:
    details = state.get("details") or {}
    if not details.get("full_name"):
        return None
    return CustomerDetails(details["full_name"], details.get("email", ""),
                           details.get("phone", ""))


def _point(form: OnlineForm, state: dict[str, Any]) -> tuple[str, str] | None:
    for field in form.fields:
        value = state.get("answers", {}).get(field.name)
        if field.type == "location" and value and value.get("latitude"):
            return value["latitude"], value["longitude"]
    return None


@require_safe
def form_start(request: HttpRequest, service_code: str, form_code: str) -> HttpResponse:
    service, form = _form(service_code, form_code)
    state = engine.load_state(request, service.code, form.code)
    if state.get("done") or not (state.get("answers") or state.get("details")):
        state = new_form_state()
        engine.save_state(request, service.code, form.code, state)
    guest = engine.signed_in_resident(request) is None
    return _redirect(service, form, engine.journey(form, guest=guest)[0])


@require_http_methods(["GET", "POST"])
def form_page(request: HttpRequest, service_code: str, form_code: str, page_code: str
              ) -> HttpResponse:
    service, form = _form(service_code, form_code)
    lang = _lang(request)
    state = engine.load_state(request, service.code, form.code)
    if state.get("done"):
        return _redirect(service, form, "confirmation")
    guest = engine.signed_in_resident(request) is None
    if page_code == engine.ABOUT_YOU and not guest:
        return _redirect(service, form, engine.journey(form, guest=False)[0])
    change = request.GET.get("change") == "1"
    errors: list[FieldError] = []
    raw: dict[str, str] = {}
    if request.method == "POST":
        now = timezone.now()
        if page_code == engine.ABOUT_YOU:
            result = record_contact_details(service_code=service.code, form_code=form.code,
                                            data=request.POST, state=state, now=now)
        else:
            try:
                result = answer_form_page(
                    service_code=service.code, form_code=form.code, page_code=page_code,
                    data=request.POST, files=_uploads(request), state=state, now=now, lang=lang,
                )
            except NotFound:
                raise Http404("No such page") from None
        if not result.errors:
            engine.save_state(request, service.code, form.code, result.state)
            return HttpResponseRedirect(engine.next_url(form, page_code, guest=guest,
                                                        change=change))
        errors, raw = result.errors, result.raw
    back = engine.previous_url(form, page_code, guest=guest,
                               service_url=reverse("portal:service", args=[service.code]))
    if change:
        back = engine.page_url(service.code, form.code, "check")
    common = {"service": service, "form": form, "back_url": back,
              "form_name": form.name.get(lang), "change": change}
    if page_code == engine.ABOUT_YOU:
        details = state.get("details") or {}
        values = {key: raw.get(key, details.get(key, "")) for key in
                  ("full_name", "email", "phone")}
        by_field = {error.field: error.message for error in errors}
        return _render(request, "portal/forms/about_you.html", title=_("Your details"),
                       context={**common, "values": values, "field_errors": by_field},
                       errors=engine.error_list(errors))
    page = next((p for p in form.pages if p.code == page_code), None)
    if page is None:
        raise Http404("No such page")
    held = state.get("files", {})
    return _render(
        request, "portal/forms/page.html", title=engine.page_title(page, lang),
        context={**common, "page": page, "heading": page.title.get(lang) if page.title else "",
                 "fields": engine.page_views(page, raw=raw, answers=state.get("answers", {}),
                                             errors=errors, lang=lang),
                 "held_files": held, "multipart": any(f.type == "file" for f in page.fields)},
        errors=engine.error_list(errors),
    )


def _uploads(request: HttpRequest) -> dict[str, UploadedFile | None]:
    found: dict[str, UploadedFile | None] = {}
    for name in request.FILES:
        upload = request.FILES.get(name)
        if upload is None:
            continue
        # One byte over the limit is enough to refuse it; never read a huge file into memory.
        found[name] = UploadedFile(upload.name or "file", upload.read(MAX_UPLOAD_BYTES + 1))
    return found


@require_http_methods(["GET", "POST"])
def form_nearby(request: HttpRequest, service_code: str, form_code: str) -> HttpResponse:
    """Street reports: "Is it one of these?" before a duplicate is sent."""
    service, form = _form(service_code, form_code)
    state = engine.load_state(request, service.code, form.code)
    if state.get("done"):
        return _redirect(service, form, "confirmation")
    point = _point(form, state)
    if point is None:
        return _redirect(service, form, "check")
    if request.method == "POST":
        reference = request.POST.get("reference", "")
        if reference:
            try:
                case = add_me_to_report(
                    reference=reference, service_code=service.code, latitude=point[0],
                    longitude=point[1], account=engine.signed_in_resident(request),
                    customer_details=_details(state), now=timezone.now(),
                    idempotency_key=state["key"],
                )
            except NotFound:
                raise Http404("No such report nearby") from None
            state["done"] = {"kind": "added", "reference": case.reference}
        else:
            state["nearby_checked"] = True
        engine.save_state(request, service.code, form.code, state)
        return _redirect(service, form, "confirmation" if reference else "check")
    reports = nearby_open_reports(service_code=service.code, latitude=point[0],
                                  longitude=point[1])
    return _render(request, "portal/report/nearby.html",
                   title=_("Is it one of these reports?"),
                   context={"service": service, "form": form, "reports": reports,
                            "back_url": engine.page_url(service.code, form.code,
                                                        form.pages[-1].code)})


@require_http_methods(["GET", "POST"])
def form_check(request: HttpRequest, service_code: str, form_code: str) -> HttpResponse:
    service, form = _form(service_code, form_code)
    lang = _lang(request)
    state = engine.load_state(request, service.code, form.code)
    if state.get("done"):
        return _redirect(service, form, "confirmation")
    resident = engine.signed_in_resident(request)
    guest = resident is None
    missing = engine.first_unanswered(form, state, guest=guest)
    if missing != "check":
        return _redirect(service, form, missing)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        now = timezone.now()
        try:
            if service.provided_by is not None:
                forwarded = forward_to_provider(
                    service_code=service.code, form_code=form.code, answers=state["answers"],
                    account=resident, customer_details=_details(state), now=now,
                    idempotency_key=state["key"])
                state["done"] = {"kind": "forwarded", "reference": forwarded.reference,
                                 "provider": forwarded.provider_name,
                                 "sent": forwarded.sent_to_provider}
            else:
                submitted = submit_online_form(
                    service_code=service.code, form_code=form.code, answers=state["answers"],
                    files=state.get("files", {}), account=resident,
                    customer_details=_details(state), now=now,
                    idempotency_key=state["key"], draft_token=state.get("draft", ""))
                case = submitted.case
                state["done"] = {
                    "kind": "case", "reference": case.reference,
                    "team": council_or_none().team(case.team_code).name.get(lang),  # type: ignore[union-attr]
                    "promised": long_date(case.promised_at) if case.promised_at else "",
                    # The tracking page belongs to My Account (portal/tracking_urls.py).
                    "tracking_url": reverse("portal:track", args=[submitted.tracking_token])
                    if submitted.tracking_token else "",
                }
            state["answers"], state["files"] = {}, {}
            engine.save_state(request, service.code, form.code, state)
            return _redirect(service, form, "confirmation")
        except InvalidInput as problem:
            errors = [{"text": problem.message, "href": "#answers"}]
    elif (service.street_report and not state.get("nearby_checked")
          and (point := _point(form, state)) is not None
          and nearby_open_reports(service_code=service.code, latitude=point[0],
                                  longitude=point[1])):
        return _redirect(service, form, "nearby")
    return _render(
        request, "portal/forms/check.html", title=_("Check your answers before sending"),
        context={"service": service, "form": form, "form_name": form.name.get(lang),
                 "summary": engine.summary_rows(form, state, lang=lang, guest=guest),
                 "back_url": engine.previous_url(form, "check", guest=guest, service_url=""),
                 "provider": service.provided_by},
        errors=errors,
    )


@require_safe
def form_confirmation(request: HttpRequest, service_code: str, form_code: str) -> HttpResponse:
    service, form = _form(service_code, form_code)
    state = engine.load_state(request, service.code, form.code)
    done = state.get("done")
    if not done:
        return _redirect(service, form, "start")
    title = {"case": _("Your request has been sent"),
             "added": _("We have added you to the report"),
             "forwarded": _("Your report has been passed on") if done.get("sent")
             else _("Report this to %(name)s") % {"name": done.get("provider", "")}}[done["kind"]]
    return _render(request, "portal/forms/confirmation.html", title=title,
                   context={"service": service, "form": form, "done": done})


@require_safe
def form_resume(request: HttpRequest, service_code: str, form_code: str, token: str
                ) -> HttpResponse:
    """The link in the reminder email: carry on where you left off."""
    service, form = _form(service_code, form_code)
    try:
        draft = draft_for_resume(token=token, now=timezone.now())
    except NotFound:
        return _render(request, "portal/forms/expired.html", title=_("This link has expired"),
                       context={"service": service, "form": form})
    if (draft.service_code, draft.form_code) != (service.code, form.code):
        raise Http404("No such draft")
    state = new_form_state()
    state.update({"answers": dict(draft.answers), "draft": draft.token,
                  "details": {"full_name": draft.name, "email": draft.email, "phone": ""}})
    engine.save_state(request, service.code, form.code, state)
    guest = engine.signed_in_resident(request) is None
    return _redirect(service, form, engine.first_unanswered(form, state, guest=guest))
