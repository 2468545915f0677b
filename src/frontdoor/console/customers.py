"""Staff console: find the customer, the single customer view, merging records, warning markers.

Thin views: each parses input, calls one query or action, and renders. Domain errors become
HTTP answers here: NotFound -> 404 (ids cannot be probed), Forbidden -> 403.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from frontdoor.accounts.models import User
from frontdoor.accounts.permissions import can
from frontdoor.cases.assisted_digital import my_account_invitation
from frontdoor.cases.customer_merge import merge_customers_for_staff, unmerge_customers_for_staff
from frontdoor.cases.customer_view import (
    MergedRecord,
    find_customers,
    merge_preview,
    single_customer_view,
)
from frontdoor.console.pages import council_or_none, render_staff_page, staff_only
from frontdoor.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from frontdoor.customers.actions import add_warning_marker_by_id, remove_warning_marker_by_id
from frontdoor.customers.models import AlternativeFormat, VulnerabilityFlag, WarningCategory
from frontdoor.customers.queries import get_customer_for_change
from frontdoor.customers.validation import phone_for_display

NAV = "customers"
REVIEW_MONTHS = {"3": 3, "6": 6, "12": 12}


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """NotFound is a 404 and Forbidden a 403, whichever query or action raised it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error
        except Forbidden as error:
            raise PermissionDenied(error.message) from error

    return wrapper


def _user(request: HttpRequest) -> User:
    # staff_only has let only signed-in staff through.
    return cast(User, request.user)


def _flash(request: HttpRequest) -> list[str]:
    return [str(m) for m in messages.get_messages(request)]


@require_safe
@staff_only
@domain_errors
def customer_search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    result = find_customers(user=_user(request), text=text, now=timezone.now())
    if result.go_to_customer_id is not None:
        return redirect("console:customer", customer_id=result.go_to_customer_id)
    return render_staff_page(
        request,
        "console/customers/search.html",
        title="Find a customer",
        nav=NAV,
        context={"q": text, "result": result, "searched": bool(text)},
    )


@require_safe
@staff_only
@domain_errors
def customer(request: HttpRequest, customer_id: int) -> HttpResponse:
    try:
        view = single_customer_view(
            user=_user(request),
            customer_id=customer_id,
            now=timezone.now(),
        )
    except MergedRecord as moved:
        # Not permanent: a merge can be undone.
        return redirect("console:customer", customer_id=moved.survivor_id)
    config = council_or_none()
    customer = view.customer
    return render_staff_page(
        request,
        "console/customers/customer.html",
        title=customer.display_name,
        nav=NAV,
        context={
            "view": view,
            "customer": customer,
            "flash": _flash(request),
            "team_names": {t.code: t.name.get("en") for t in config.teams} if config else {},
            "ward_names": {w.code: w.name.get("en") for w in config.wards} if config else {},
            "formats": _labels(AlternativeFormat, customer.alternative_formats),
            "flags": _labels(VulnerabilityFlag, customer.vulnerability_flags),
            "phone_display": phone_for_display,
            # Assisted digital (console/assisted.py): complete a form with them, offer My Account.
            "can_assist": can(request.user, "case.create") and can(request.user, "contact.log"),
            "invitation": my_account_invitation(customer),
        },
    )


def _labels(choices: Any, values: list[str]) -> list[str]:
    known = dict(choices.choices)
    return [str(known.get(value, value)) for value in values or []]


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
@domain_errors
def customer_merge(request: HttpRequest, customer_id: int, other_id: int) -> HttpResponse:
    now = timezone.now()
    if request.method == "POST":
        try:
            merge_customers_for_staff(
                user=_user(request),
                keep_id=customer_id,
                merge_id=other_id,
                now=now,
            )
        except (Conflict, InvalidInput) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Customer record {other_id} was merged into this record")
        return redirect("console:customer", customer_id=customer_id)
    preview = merge_preview(
        user=_user(request),
        keep_id=customer_id,
        merge_id=other_id,
        now=now,
    )
    return render_staff_page(
        request,
        "console/customers/merge.html",
        title="Merge customer records",
        nav=NAV,
        context={"preview": preview},
    )


@require_POST
@staff_only
@domain_errors
def customer_unmerge(request: HttpRequest, customer_id: int, other_id: int) -> HttpResponse:
    try:
        unmerge_customers_for_staff(
            user=_user(request),
            keep_id=customer_id,
            tombstone_id=other_id,
            now=timezone.now(),
        )
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Customer record {other_id} is a separate record again")
    return redirect("console:customer", customer_id=customer_id)


def _marker_form(request: HttpRequest) -> dict[str, str]:
    return {
        name: request.POST.get(name, "").strip()
        for name in ("action", "category", "description", "review", "marker", "reason")
    }


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
@domain_errors
def customer_markers(request: HttpRequest, customer_id: int) -> HttpResponse:
    now = timezone.now()
    form: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = _marker_form(request)
        try:
            if form["action"] == "remove":
                remove_warning_marker_by_id(
                    customer_id=customer_id,
                    marker_id=int(form["marker"] or 0),
                    reason=form["reason"],
                    by=_user(request),
                    now=now,
                )
                messages.success(request, "Warning marker removed")
            else:
                months = REVIEW_MONTHS.get(form["review"])
                if months is None:
                    raise InvalidInput("review", "required", "Choose when to review the marker")
                add_warning_marker_by_id(
                    customer_id=customer_id,
                    category=form["category"],
                    description=form["description"],
                    review_at=now + timedelta(days=round(30.44 * months)),
                    by=_user(request),
                    now=now,
                )
                messages.success(request, "Warning marker added")
            return redirect(reverse("console:customer", kwargs={"customer_id": customer_id}))
        except InvalidInput as error:
            field = error.field or "category"
            if field == "reason":
                field = f"reason-{form['marker']}"
            errors[field] = (
                error.message
                if form["category"] or field != "category"
                else ("Choose what the warning is about")
            )
    customer = get_customer_for_change(
        user=_user(request),
        customer_id=customer_id,
        action="customer.mark_warning",
        now=now,
    )
    return render_staff_page(
        request,
        "console/customers/markers.html",
        title="Warning markers",
        nav=NAV,
        context={
            "customer": customer,
            "markers": [m for m in customer.warning_markers.all() if m.removed_at is None],
            "categories": WarningCategory.choices,
            "form": form,
            "errors": errors,
            "error_list": [{"text": text, "href": f"#{field}"} for field, text in errors.items()],
        },
        status=400 if errors else 200,
        has_errors=bool(errors),
    )
