"""The form engine's portal side: where a resident is in a form, and GOV.UK components per question.

Progress through a form lives in the session under "forms" → "<service>/<form>" as the
`FormState` dict of `cases.web_forms`. The journey is: about you (guests only), the form's
pages in order, reports nearby (street reports with a point, when there are any), check your
answers, confirmation. Every question is rendered from `field_view` by the macro in
`portal/forms/_fields.html`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from frontdoor.accounts.models import Role
from frontdoor.cases.form_display import (  # noqa: F401  (the portal's names for them)
    FieldView,
    answer_rows,
    error_list,
    field_view,
    page_title,
    page_views,
    summary_row,
)
from frontdoor.cases.web_forms import FormState, new_form_state
from frontdoor.council.config import OnlineForm

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
# The question components are shared with the console's assisted digital pages.


def summary_rows(form: OnlineForm, state: FormState, *, lang: str, guest: bool
                 ) -> list[dict[str, Any]]:
    """Check your answers: one row per question, with a change link to its page."""
    rows: list[dict[str, Any]] = []
    if guest:
        details = state.get("details") or {}
        change = page_url(form.service, form.code, ABOUT_YOU) + "?change=1"
        for key, label in (("full_name", _("Name")), ("email", _("Email address")),
                           ("phone", _("Phone number"))):
            rows.append(summary_row(label, details.get(key) or _("Not given"), change, label))
    return rows + answer_rows(
        form, answers=state.get("answers", {}), files=state.get("files", {}), lang=lang,
        change_url=lambda page: page_url(form.service, form.code, page) + "?change=1")
