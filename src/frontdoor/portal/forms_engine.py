"""The form engine's portal side: where a resident is in a form, and GOV.UK components per question.

Progress through a form lives in the session under "forms" → "<service>/<form>" as the
`FormState` dict of `cases.web_forms`. The journey is: about you (guests only), the form's
pages in order, reports nearby (street reports with a point, when there are any), check your
answers, confirmation. Every question is rendered from `field_view` by the macro in
`portal/forms/_fields.html`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from markupsafe import Markup, escape

from frontdoor.accounts.models import Role
from frontdoor.cases.form_fields import FieldError, answer_text, first_input_id
from frontdoor.cases.web_forms import FormState, new_form_state
from frontdoor.council.config import FormField, FormPage, OnlineForm

SESSION_KEY = "forms"
ABOUT_YOU = "about-you"


def signed_in_resident(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.role == Role.RESIDENT:
        return user
    return None


def load_state(request: HttpRequest, service_code: str, form_code: str) -> FormState:
    state = request.session.get(SESSION_KEY, {}).get(f"{service_code}/{form_code}")
    state = state if isinstance(state, dict) else new_form_state()
    resident = signed_in_resident(request)
    if resident is not None:
        state["account_email"] = resident.email
    return state


def save_state(request: HttpRequest, service_code: str, form_code: str, state: FormState) -> None:
    forms = dict(request.session.get(SESSION_KEY, {}))
    forms[f"{service_code}/{form_code}"] = state
    request.session[SESSION_KEY] = forms


def journey(form: OnlineForm, *, guest: bool) -> list[str]:
    """The page codes in order (without nearby, check and confirmation)."""
    return ([ABOUT_YOU] if guest else []) + [page.code for page in form.pages]


def page_url(service_code: str, form_code: str, page: str) -> str:
    if page in ("check", "confirmation", "nearby", "start"):
        return reverse(f"portal:form_{page}", args=[service_code, form_code])
    return reverse("portal:form_page", args=[service_code, form_code, page])


def previous_url(form: OnlineForm, page: str, *, guest: bool, service_url: str) -> str:
    steps = journey(form, guest=guest)
    if page == "check":
        return page_url(form.service, form.code, steps[-1])
    position = steps.index(page) if page in steps else 0
    if position == 0:
        return service_url
    return page_url(form.service, form.code, steps[position - 1])


def next_url(form: OnlineForm, page: str, *, guest: bool, change: bool) -> str:
    steps = journey(form, guest=guest)
    if change or page == steps[-1]:
        return page_url(form.service, form.code, "check")
    return page_url(form.service, form.code, steps[steps.index(page) + 1])


def first_unanswered(form: OnlineForm, state: FormState, *, guest: bool) -> str:
    """Where to send someone coming back: the first page with a required question unanswered."""
    if guest and not (state.get("details") or {}).get("full_name"):
        return ABOUT_YOU
    answers, files = state.get("answers", {}), state.get("files", {})
    for page in form.pages:
        for field in page.fields:
            given = files.get(field.name) if field.type == "file" else answers.get(field.name)
            if field.required and not given:
                return page.code
    return "check"


# ------------------------------------------------------------------------- components


@dataclass(frozen=True)
class FieldView:
    field: FormField
    type: str
    name: str
    label: str
    hint: str
    required: bool
    error: str
    value: Any  # str, or a dict of parts for date/address/location
    options: list[dict[str, str]]
    max_length: int | None
    is_heading: bool


def field_view(field: FormField, *, raw: dict[str, str], answers: dict[str, Any],
               errors: dict[str, FieldError], lang: str, is_heading: bool) -> FieldView:
    """What the template needs to draw one question, with what was typed or answered before."""
    label = field.label.get(lang)
    if not field.required and "(optional)" not in label:
        label = f"{label} ({_('optional')})"
    error = errors.get(field.name)
    return FieldView(
        field=field, type=field.type, name=field.name, label=label,
        hint=field.hint.get(lang) if field.hint else "", required=field.required,
        error=error.message if error else "", value=_value(field, raw, answers),
        options=[{"value": o.value, "text": o.label.get(lang),
                  "hint": o.hint.get(lang) if o.hint else ""} for o in field.options],
        max_length=field.max_length or ({"text": 200, "long_text": 2000}.get(field.type)),
        is_heading=is_heading,
    )


def _value(field: FormField, raw: dict[str, str], answers: dict[str, Any]) -> Any:
    answer = answers.get(field.name)
    if field.type == "date":
        parts = ("day", "month", "year")
        if any(f"{field.name}-{p}" in raw for p in parts):
            return {p: raw.get(f"{field.name}-{p}", "") for p in parts}
        if answer:
            year, month, day = str(answer).split("-")
            return {"day": str(int(day)), "month": str(int(month)), "year": year}
        return {p: "" for p in parts}
    if field.type in ("address", "location"):
        names: tuple[str, ...] = (("line1", "line2", "town", "postcode", "uprn")
                                  if field.type == "address"
                                  else ("description", "latitude", "longitude"))
        if any(f"{field.name}-{p}" in raw for p in names):
            return {p: raw.get(f"{field.name}-{p}", "") for p in names}
        return {p: (answer or {}).get(p, "") for p in names}
    if field.name in raw:
        return raw[field.name]
    return "" if answer is None else str(answer)


def page_views(page: FormPage, *, raw: dict[str, str], answers: dict[str, Any],
               errors: list[FieldError], lang: str) -> list[FieldView]:
    by_field = {error.field: error for error in errors}
    single = len(page.fields) == 1
    return [field_view(field, raw=raw, answers=answers, errors=by_field, lang=lang,
                       is_heading=single) for field in page.fields]


def page_title(page: FormPage, lang: str) -> str:
    if page.title is not None:
        return page.title.get(lang)
    field = page.fields[0]
    label = field.label.get(lang)
    return label if field.required or "(optional)" in label else f"{label} ({_('optional')})"


def error_list(errors: list[FieldError]) -> list[dict[str, str]]:
    """The error summary's items, each linking to its input."""
    return [{"text": error.message, "href": f"#{error.target}"} for error in errors]


def summary_rows(form: OnlineForm, state: FormState, *, lang: str, guest: bool
                 ) -> list[dict[str, Any]]:
    """Check your answers: one row per question, with a change link to its page."""
    rows: list[dict[str, Any]] = []
    answers, files = state.get("answers", {}), state.get("files", {})
    if guest:
        details = state.get("details") or {}
        change = page_url(form.service, form.code, ABOUT_YOU) + "?change=1"
        for key, label in (("full_name", _("Name")), ("email", _("Email address")),
                           ("phone", _("Phone number"))):
            rows.append(_row(label, details.get(key) or _("Not given"), change, label))
    for page in form.pages:
        change = page_url(form.service, form.code, page.code) + "?change=1"
        for field in page.fields:
            value = files.get(field.name) if field.type == "file" else answers.get(field.name)
            text = answer_text(field, value, lang=lang) if value else _("Not given")
            rows.append(_row(field.label.get(lang), text, change, field.label.get(lang),
                             anchor=first_input_id(field)))
    return rows


def _row(label: str, text: str, href: str, hidden: str, anchor: str = "") -> dict[str, Any]:
    # Escaped here, line breaks kept: answers are shown exactly as typed, never as markup.
    html = escape(text).replace("\n", Markup("<br>"))
    return {"key": label, "value": text, "value_html": html,
            "href": href + (f"#{anchor}" if anchor else ""), "hidden": hidden}
