"""Give feedback (a compliment, comment or complaint), ask for a stage 2 review of a
complaint, and answer the satisfaction survey from its private link.

Every view parses the form, calls one action or query, and renders; pages work without
JavaScript and follow the GOV.UK error pattern.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from frontdoor.accounts.queries import resident_account_of
from frontdoor.cases.models import Case
from frontdoor.core.errors import Conflict, InvalidInput, NotFound
from frontdoor.core.time import to_london
from frontdoor.feedback.actions import (
    SURVEY_FIELDS,
    PersonDetails,
    escalate_complaint,
    feedback_about,
    give_feedback,
    submit_survey,
)
from frontdoor.feedback.models import FirstTime, Rating, SurveyChannel
from frontdoor.feedback.queries import (
    case_for_confirmation,
    complaint_dates,
    feedback_services,
    invitation_for_token,
    may_escalate,
    survey_answered,
)
from frontdoor.portal.account import error_items, lang_of, render_account_page

GIVEN = "feedback_given"
KEY = "feedback_key"


def _page(request: HttpRequest, template: str, *, title: str,
          context: dict[str, Any] | None = None, errors: list[dict[str, str]] | None = None,
          status: int = 200) -> HttpResponse:
    response = render_account_page(request, f"portal/feedback/{template}", title=title,
                                   context={"nav_current": "", **(context or {})},
                                   errors=errors, status=status)
    response["Cache-Control"] = "private, no-store"
    # Private links stay off other sites; not no-referrer, which makes form posts Origin: null.
    response["Referrer-Policy"] = "same-origin"
    return response


def _long(moment: Any) -> str:
    if moment is None:
        return ""
    local = to_london(moment)
    text = local.strftime("%A %-d %B %Y")
    if (local.hour, local.minute) != (17, 0):
        text += local.strftime(" at %-I:%M%p").replace("AM", "am").replace("PM", "pm")
    return text


def _about(request: HttpRequest) -> tuple[Case | None, dict[str, str]]:
    """The case feedback is about (?case=REF for My Account, ?track=TOKEN for a guest)."""
    reference = str(request.GET.get("case") or request.POST.get("case") or "")
    token = str(request.GET.get("track") or request.POST.get("track") or "")
    if not reference and not token:
        return None, {}
    try:
        if token:
            return feedback_about(token, ""), {"track": token}
        if resident_account_of(request.user) is None:
            raise NotFound("No such request")
        return feedback_about(request.user, reference), {"case": reference}  # type: ignore[arg-type]
    except NotFound:
        raise Http404("No such request") from None


@require_http_methods(["GET", "POST"])
def give(request: HttpRequest) -> HttpResponse:
    about, hidden = _about(request)
    signed_in = resident_account_of(request.user) is not None
    errors: list[dict[str, str]] = []
    form: dict[str, str] = {"service": about.service_code if about else ""}
    if request.method == "POST":
        form = {f: str(request.POST.get(f, "")) for f in
                ("kind", "service", "what_happened", "remedy", "name", "email", "phone")}
        key = request.session.get(KEY) or secrets.token_urlsafe(24)
        request.session[KEY] = key
        try:
            given = give_feedback(
                kind=form["kind"], service_code=form["service"],
                what_happened=form["what_happened"], remedy=form["remedy"], about_case=about,
                account=request.user if signed_in else None,  # type: ignore[arg-type]
                details=PersonDetails(form["name"], form["email"], form["phone"]),
                now=timezone.now(), idempotency_key=key,
            )
        except InvalidInput as problem:
            errors = error_items(problem)
        else:
            request.session.pop(KEY, None)
            request.session[GIVEN] = {"reference": given.case.reference,
                                      "token": given.tracking_token}
            return HttpResponseRedirect(reverse("portal:feedback-sent"))
    lang = lang_of(request)
    return _page(request, "give.html", title=_("Give feedback"), errors=errors, context={
        "form": form, "signed_in": signed_in, "about": about, "hidden": hidden,
        "services": feedback_services(lang),
    })


@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    given = request.session.get(GIVEN)
    if not isinstance(given, dict):
        return HttpResponseRedirect(reverse("portal:feedback"))
    try:
        case = case_for_confirmation(given["reference"])
    except NotFound:
        raise Http404("No such request") from None
    dates = complaint_dates(case)
    title = {"complaint": _("Complaint received"), "compliment": _("Thank you for your compliment"),
             "comment": _("Thank you for your comment")}[case.case_type]
    tracking = reverse("portal:track", args=[given["token"]]) if given.get("token") else ""
    return _page(request, "sent.html", title=title, context={
        "case": case, "acknowledge_by": _long(dates.acknowledge_by),
        "respond_by": _long(dates.respond_by), "provisional": dates.respond_provisional,
        "tracking_url": tracking,
    })


def _review(request: HttpRequest, access: Any, reference: str) -> HttpResponse:
    try:
        case = feedback_about(access, reference)
    except NotFound:
        raise Http404("No such request") from None
    if not may_escalate(case):
        return _page(request, "review_unavailable.html", title=_("You cannot ask for a review"),
                     context={"case": case})
    errors: list[dict[str, str]] = []
    reason = ""
    if request.method == "POST":
        reason = str(request.POST.get("reason", ""))
        try:
            given = escalate_complaint(case=case, reason=reason, access=access,
                                       now=timezone.now())
        except (InvalidInput, Conflict) as problem:
            errors = [{"text": problem.message, "href": "#reason"}]
        else:
            request.session[GIVEN] = {"reference": given.case.reference,
                                      "token": given.tracking_token}
            return HttpResponseRedirect(reverse("portal:feedback-sent"))
    return _page(request, "review.html", title=_("Ask for a review of your complaint"),
                 errors=errors, context={"case": case, "reason": reason,
                                         "action": request.path})


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, reference: str) -> HttpResponse:
    if resident_account_of(request.user) is None:
        return redirect_to_login(request.get_full_path(), reverse("portal:account-sign-in"))
    return _review(request, request.user, reference)


@require_http_methods(["GET", "POST"])
def review_by_link(request: HttpRequest, token: str) -> HttpResponse:
    return _review(request, token, "")


# ------------------------------------------------------------------------------- survey


def _choices(kind: type) -> list[dict[str, str]]:
    return [{"value": value, "text": _(label)} for value, label in kind.choices]  # type: ignore[attr-defined]


SURVEY_QUESTIONS = [
    ("ease_of_access", "How satisfied were you with how easy it was to reach us?", Rating),
    ("resolved_first_time", "Did we sort it out the first time you contacted us?", FirstTime),
    ("satisfaction_service", "How satisfied were you with the service you received?", Rating),
    ("satisfaction_staff",
     "How satisfied were you with our staff: their attitude, knowledge and helpfulness?", Rating),
    ("channel_used", "How did you contact us?", SurveyChannel),
    ("preferred_channel", "How would you prefer to contact us next time?", SurveyChannel),
]


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_for_token(token)
    except NotFound:
        raise Http404("No such survey") from None
    if survey_answered(invitation):
        return _page(request, "survey_answered.html", title=_("You have already answered"))
    errors: list[dict[str, str]] = []
    answers: dict[str, str] = {}
    if request.method == "POST":
        answers = {name: str(request.POST.get(name, "")) for name in [*SURVEY_FIELDS, "comment"]}
        try:
            submit_survey(token=token, answers=answers, now=timezone.now())
        except InvalidInput as problem:
            errors = error_items(problem)
        except Conflict:
            return _page(request, "survey_answered.html", title=_("You have already answered"))
        else:
            return HttpResponseRedirect(reverse("portal:survey-thanks"))
    questions = [{"name": name, "legend": _(legend), "items": _choices(kind)}
                 for name, legend, kind in SURVEY_QUESTIONS]
    return _page(request, "survey.html", title=_("How did we do?"), errors=errors, context={
        "reference": invitation.case.reference, "questions": questions, "answers": answers,
        "action": request.path,
    })


@require_safe
def survey_thanks(request: HttpRequest) -> HttpResponse:
    return _page(request, "survey_thanks.html", title=_("Thank you for your answers"))
