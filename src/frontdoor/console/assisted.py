"""Assisted digital in the staff console: complete a service's online form with a customer.

From the single customer view (or for a new caller) an agent picks a form, says how the
customer reached us, walks the same questions a resident answers online (checked by
`cases.web_forms.answer_form_page`), checks the answers with the customer and sends; the
confirmation gives the reference, team and promised date to read out, and offers to invite
the customer to My Account. Progress is kept in the session per customer and form.
Thin views: each parses input, calls one action or query, and renders.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from frontdoor.accounts.models import User
from frontdoor.accounts.permissions import can
from frontdoor.cases import form_display
from frontdoor.cases.assisted_digital import (
    ASSISTED_CHANNELS,
    AssistedForm,
    find_assisted_form,
    forms_for_assisted_completion,
    invite_customer_to_my_account,
    my_account_invitation,
    submit_form_for_customer,
)
from frontdoor.cases.form_fields import FieldError
from frontdoor.cases.messages import long_date
from frontdoor.cases.web_forms import FormState, answer_form_page, new_form_state
from frontdoor.console.customers import domain_errors
from frontdoor.console.pages import council_or_none, render_staff_page, staff_only
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.customers.actions import create_customer
from frontdoor.customers.models import Customer
from frontdoor.customers.queries import get_customer_for_staff

NAV = "customers"
SESSION_KEY = "assisted-forms"
PURPOSE = "Completing an online form with the customer"
LANG = "en"


def _agent(request: HttpRequest) -> User:
    """The signed-in staff member, if their role may open cases and log contacts; else 403."""
    user = cast(User, request.user)
    if not (can(user, "case.create") and can(user, "contact.log")):
        raise PermissionDenied("Your role cannot complete forms for customers")
    return user


def _customer(request: HttpRequest, customer_id: int) -> Customer:
    return get_customer_for_staff(user=request.user, customer_id=customer_id, purpose=PURPOSE,
                                  now=timezone.now())


def _form(service_code: str, form_code: str) -> AssistedForm:
    try:
        return find_assisted_form(service_code, form_code)
    except NotFound:
        raise Http404("No such form") from None


def _key(customer: Customer, chosen: AssistedForm) -> str:
    return f"{customer.pk}/{chosen.service.code}/{chosen.form.code}"


def _load(request: HttpRequest, customer: Customer, chosen: AssistedForm) -> FormState:
    state = request.session.get(SESSION_KEY, {}).get(_key(customer, chosen))
    return state if isinstance(state, dict) else {}


def _save(request: HttpRequest, customer: Customer, chosen: AssistedForm,
          state: FormState) -> None:
    journeys = dict(request.session.get(SESSION_KEY, {}))
    journeys[_key(customer, chosen)] = state
    request.session[SESSION_KEY] = journeys


def _url(customer: Customer, chosen: AssistedForm, step: str = "") -> str:
    args = [customer.pk, chosen.service.code, chosen.form.code]
    if step in ("", "check", "confirmation"):
        name = {"": "assisted-start", "check": "assisted-check",
                "confirmation": "assisted-confirmation"}[step]
        return reverse(f"console:{name}", args=args)
    return reverse("console:assisted-page", args=[*args, step])


def _pages(chosen: AssistedForm) -> list[str]:
    return [page.code for page in chosen.form.pages]


def _first_unanswered(chosen: AssistedForm, state: FormState) -> str:
    if state.get("channel") not in ASSISTED_CHANNELS:
        return ""
    answers = state.get("answers", {})
    for page in chosen.form.pages:
        if any(f.required and not answers.get(f.name) for f in page.fields):
            return page.code
    return "check"


def _render(request: HttpRequest, template: str, *, title: str, context: dict[str, Any],
            errors: list[dict[str, str]] | None = None) -> HttpResponse:
    return render_staff_page(request, template, title=title, nav=NAV,
                             context={"errors": errors or [], **context},
                             has_errors=bool(errors))


# ------------------------------------------------------------------------------ views


@require_safe
@staff_only
@domain_errors
def choose_form(request: HttpRequest, customer_id: int) -> HttpResponse:
    """The services with online forms staff can complete with this customer."""
    _agent(request)
    customer = _customer(request, customer_id)
    return _render(request, "console/assisted/choose.html",
                   title="Complete an online form with the customer",
                   context={"customer": customer, "forms": forms_for_assisted_completion(),
                            "invitation": my_account_invitation(customer)})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
@domain_errors
def start(request: HttpRequest, customer_id: int, service_code: str, form_code: str
          ) -> HttpResponse:
    """First page: how did the customer reach us? Starts a fresh journey."""
    _agent(request)
    customer = _customer(request, customer_id)
    chosen = _form(service_code, form_code)
    state = _load(request, customer, chosen)
    if state.get("done"):
        state = {}
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        channel = request.POST.get("channel", "")
        if channel in ASSISTED_CHANNELS:
            if not state:
                state = {**new_form_state(), "channel": channel}
            state["channel"] = channel
            _save(request, customer, chosen, state)
            return HttpResponseRedirect(_url(customer, chosen, _pages(chosen)[0]))
        errors = [{"text": "Select how the customer contacted us", "href": "#channel"}]
    return _render(request, "console/assisted/start.html", title="How did the customer contact us?",
                   context={"customer": customer, "chosen": chosen,
                            "form_name": chosen.form.name.get(LANG),
                            "channels": ASSISTED_CHANNELS, "channel": state.get("channel", ""),
                            "back_url": reverse("console:assisted-forms", args=[customer.pk])},
                   errors=errors)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
@domain_errors
def form_page(request: HttpRequest, customer_id: int, service_code: str, form_code: str,
              page_code: str) -> HttpResponse:
    _agent(request)
    customer = _customer(request, customer_id)
    chosen = _form(service_code, form_code)
    page = next((p for p in chosen.form.pages if p.code == page_code), None)
    if page is None:
        raise Http404("No such page")
    state = _load(request, customer, chosen)
    if state.get("done"):
        return HttpResponseRedirect(_url(customer, chosen, "confirmation"))
    if state.get("channel") not in ASSISTED_CHANNELS:
        return HttpResponseRedirect(_url(customer, chosen))
    change = request.GET.get("change") == "1"
    errors: list[FieldError] = []
    raw: dict[str, str] = {}
    if request.method == "POST":
        result = answer_form_page(
            service_code=chosen.service.code, form_code=chosen.form.code, page_code=page.code,
            data=request.POST, files={}, state=state, now=timezone.now(), lang=LANG)
        if not result.errors:
            _save(request, customer, chosen, result.state)
            steps = _pages(chosen)
            following = ("check" if change or page.code == steps[-1]
                         else steps[steps.index(page.code) + 1])
            return HttpResponseRedirect(_url(customer, chosen, following))
        errors, raw = result.errors, result.raw
    steps = _pages(chosen)
    position = steps.index(page.code)
    back = _url(customer, chosen, steps[position - 1]) if position else _url(customer, chosen)
    if change:
        back = _url(customer, chosen, "check")
    title = form_display.page_title(page, LANG)
    views = form_display.page_views(page, raw=raw, answers=state.get("answers", {}),
                                    errors=errors, lang=LANG)
    # Files cannot be handed over by phone (forms needing one are not offered): optional
    # file questions are left out, and the customer can add files to the request later.
    asked = [view for view in views if view.type != "file"]
    heading = page.title.get(LANG) if page.title else ("" if asked else title)
    return _render(
        request, "console/assisted/page.html", title=title,
        context={"customer": customer, "chosen": chosen, "form_name": chosen.form.name.get(LANG),
                 "back_url": back, "heading": heading, "fields": asked,
                 "files_left_out": len(asked) < len(views)},
        errors=form_display.error_list(errors),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
@domain_errors
def check(request: HttpRequest, customer_id: int, service_code: str, form_code: str
          ) -> HttpResponse:
    agent = _agent(request)
    customer = _customer(request, customer_id)
    chosen = _form(service_code, form_code)
    state = _load(request, customer, chosen)
    if state.get("done"):
        return HttpResponseRedirect(_url(customer, chosen, "confirmation"))
    missing = _first_unanswered(chosen, state)
    if missing != "check":
        return HttpResponseRedirect(_url(customer, chosen, missing))
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            case = submit_form_for_customer(
                customer=customer, service_code=chosen.service.code, form_code=chosen.form.code,
                answers=state["answers"], channel=state["channel"], by=agent,
                now=timezone.now(), idempotency_key=state["key"])
        except InvalidInput as problem:
            errors = [{"text": problem.message, "href": "#answers"}]
        else:
            config = council_or_none()
            team = config.team(case.team_code).name.get(LANG) if config else case.team_code
            state.update(answers={}, done={
                "reference": case.reference, "team": team,
                "promised": long_date(case.promised_at) if case.promised_at else ""})
            _save(request, customer, chosen, state)
            return HttpResponseRedirect(_url(customer, chosen, "confirmation"))
    steps = _pages(chosen)
    return _render(
        request, "console/assisted/check.html", title="Check the answers with the customer",
        context={"customer": customer, "chosen": chosen, "form_name": chosen.form.name.get(LANG),
                 "channel": ASSISTED_CHANNELS[state["channel"]],
                 "change_channel_url": _url(customer, chosen),
                 "back_url": _url(customer, chosen, steps[-1]),
                 "summary": form_display.answer_rows(
                     chosen.form, answers=state.get("answers", {}), files={}, lang=LANG,
                     change_url=lambda code: _url(customer, chosen, code) + "?change=1")},
        errors=errors,
    )


@require_safe
@staff_only
@domain_errors
def confirmation(request: HttpRequest, customer_id: int, service_code: str, form_code: str
                 ) -> HttpResponse:
    _agent(request)
    customer = _customer(request, customer_id)
    chosen = _form(service_code, form_code)
    done = _load(request, customer, chosen).get("done")
    if not done:
        return HttpResponseRedirect(_url(customer, chosen))
    return _render(request, "console/assisted/confirmation.html", title="Request sent",
                   context={"customer": customer, "chosen": chosen, "done": done,
                            "form_name": chosen.form.name.get(LANG),
                            "invitation": my_account_invitation(customer),
                            "here": request.path})


@require_POST
@staff_only
@domain_errors
def invite(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Email the customer a link to set up My Account; back to the page the button was on."""
    agent = _agent(request)
    customer = _customer(request, customer_id)
    back = request.POST.get("next", "")
    if not back.startswith(f"/staff/customers/{customer.pk}/"):
        back = reverse("console:customer", args=[customer.pk])
    try:
        invite_customer_to_my_account(
            customer=customer, by=agent, now=timezone.now(),
            sign_up_url=lambda token: request.build_absolute_uri(
                reverse("portal:account-register") + f"?invitation={token}"))
    except InvalidInput as problem:
        return _render(request, "console/assisted/invite_problem.html",
                       title="The invitation was not sent",
                       context={"customer": customer, "message": problem.message,
                                "back_url": back}, errors=[])
    return HttpResponseRedirect(back + "#my-account")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
@domain_errors
def new_caller(request: HttpRequest) -> HttpResponse:
    """A caller with no record yet: their name and how to reach them, then choose the form."""
    agent = _agent(request)
    values = {key: request.POST.get(key, "").strip()
              for key in ("given_name", "family_name", "email", "phone")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not values["given_name"] and not values["family_name"]:
            errors["given_name"] = "Enter the customer's name"
        else:
            try:
                customer = create_customer(
                    kind="person", given_name=values["given_name"],
                    family_name=values["family_name"],
                    emails=[values["email"]] if values["email"] else [],
                    phones=[values["phone"]] if values["phone"] else [],
                    preferred_channel="email" if values["email"] else "none",
                    by=agent, now=timezone.now())
            except InvalidInput as problem:
                field = {"emails": "email", "phones": "phone"}.get(
                    (problem.field or "").split(".")[0], "given_name")
                errors[field] = problem.message
            else:
                return HttpResponseRedirect(reverse("console:assisted-forms",
                                                    args=[customer.pk]))
    return _render(request, "console/assisted/new_caller.html",
                   title="Who are you helping?",
                   context={"values": values, "field_errors": errors},
                   errors=[{"text": message, "href": f"#{field}"}
                           for field, message in errors.items()])
