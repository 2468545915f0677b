"""Log a contact: what the customer asked (step 1), what came of it (step 2), what to tell them.

Step 1 keeps its answers in the session as a draft (a random token in the URL), so the agent
can go back and change them, open a knowledge article and come back, and nothing is written
until the outcome is chosen: then `record_first_contact` writes the contact and its outcome
in one transaction. The result page says, in one sentence, what to read out to the customer.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from frontdoor.accounts.permissions import can
from frontdoor.cases.first_contact import (
    FirstContactResult,
    first_contact_result,
    outcome_choices,
    record_first_contact,
)
from frontdoor.cases.messages import long_date
from frontdoor.cases.models import CaseType
from frontdoor.catalogue.queries import get_signpost
from frontdoor.console.pages import council_or_none, render_staff_page, staff_only
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.core.time import LONDON, localise, parse_instant, to_london
from frontdoor.customers.models import Customer
from frontdoor.customers.queries import get_customer_for_staff

# The channels an agent logs by hand, most common first (online forms, texts and apps
# arrive by themselves).
CHANNELS: list[tuple[str, str]] = [
    ("phone", "Phone"),
    ("face_to_face", "Face to face"),
    ("letter", "Letter"),
    ("email", "Email"),
    ("social_media", "Social media"),
    ("webchat", "Web chat"),
    ("voicemail", "Voicemail"),
]
OUTCOME_LABELS = {
    "resolved": "Resolved: I answered it now",
    "signposted": "Signposted to another organisation",
    "handed_off": "Hand off to the team",
    "callback": "Arrange a callback",
}
SUMMARY_MAX = 2000
NOTE_MAX = 4000
OLDEST_DAYS = 366
DRAFTS_KEY = "contact_drafts"
DRAFTS_KEPT = 10
TIME_PATTERN = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


@dataclass
class Step1:
    """What the agent entered on step 1, as typed (so a page with errors shows it again)."""

    channel: str = "phone"
    when: str = "now"
    day: str = ""
    month: str = ""
    year: str = ""
    time: str = ""
    service_code: str = ""
    summary: str = ""
    customer_id: int | None = None
    errors: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------- step 1


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def log_contact(request: HttpRequest) -> HttpResponse:
    _require_may_log(request)
    now = timezone.now()
    if request.method == "POST":
        form = _read_step1(request.POST)
        customer = _customer(request, form.customer_id, now)
        received_at = _check_step1(form, now)
        earlier = _draft(request, request.POST.get("draft", ""))
        if form.when == "now" and earlier and earlier.get("when") == "now":
            # Changing an answer does not move "just now" to the time of the change.
            received_at = parse_instant(earlier["received_at"])
        if not form.errors:
            token = _save_draft(request, form, received_at, existing=request.POST.get("draft"))
            return HttpResponseRedirect(reverse("console:contact-outcome", args=[token]),
                                        status=303)
    else:
        draft = _draft(request, request.GET.get("draft", ""))
        form = _step1_from_draft(draft) if draft else Step1(
            customer_id=_int(request.GET.get("customer")),
            service_code=request.GET.get("service", ""),
        )
        customer = _customer(request, form.customer_id, now)
        if not draft:
            local = to_london(now)
            form.day, form.month, form.year = str(local.day), str(local.month), str(local.year)
            form.time = local.strftime("%H:%M")
    return _render_step1(request, form, customer, draft_token=request.GET.get("draft", "")
                         or request.POST.get("draft", ""))


def _render_step1(request: HttpRequest, form: Step1, customer: Customer | None,
                  draft_token: str) -> HttpResponse:
    config = council_or_none()
    services = sorted(
        ((s.code, s.name.get("en")) for s in (config.services if config else [])),
        key=lambda pair: pair[1].casefold(),
    )
    return render_staff_page(
        request,
        "console/contacts/log_contact.html",
        title="Log a contact",
        nav="contacts",
        context={
            "form": form,
            "errors": _summary(form.errors, STEP1_ANCHORS),
            "channels": CHANNELS,
            "services": services,
            "customer": customer,
            "draft_token": draft_token,
            "summary_max": SUMMARY_MAX,
        },
        has_errors=bool(form.errors),
    )


STEP1_ANCHORS = {
    "channel": "channel",
    "received_at": "received_at-day",
    "received_time": "received_time",
    "service_code": "service_code",
    "summary": "summary",
}


def _read_step1(data: QueryDict) -> Step1:
    return Step1(
        channel=data.get("channel", ""),
        when=data.get("when", "now"),
        day=data.get("received_at-day", "").strip(),
        month=data.get("received_at-month", "").strip(),
        year=data.get("received_at-year", "").strip(),
        time=data.get("received_time", "").strip(),
        service_code=data.get("service_code", "").strip(),
        summary=data.get("summary", "").strip(),
        customer_id=_int(data.get("customer")),
    )


def _check_step1(form: Step1, now: datetime) -> datetime | None:
    """Fill `form.errors`; return when the customer contacted us (aware) if it is valid."""
    config = council_or_none()
    if form.channel not in dict(CHANNELS):
        form.errors["channel"] = "Choose how the customer contacted us"
    known = {s.code for s in config.services} if config else set()
    if form.service_code not in known:
        form.errors["service_code"] = "Choose the service the customer asked about"
    if not form.summary:
        form.errors["summary"] = "Say what the customer asked about"
    elif len(form.summary) > SUMMARY_MAX:
        form.errors["summary"] = f"What they asked about must be {SUMMARY_MAX} characters or fewer"
    if form.when != "earlier":
        form.when = "now"
        return now
    return _received_at(form, now)


def _received_at(form: Step1, now: datetime) -> datetime | None:
    parts = (form.day, form.month, form.year)
    if not all(parts):
        missing = [name for name, value in zip(("day", "month", "year"), parts, strict=True)
                   if not value]
        form.errors["received_at"] = (
            "Enter the date the customer contacted us" if len(missing) == 3
            else f"The date must include a {' and '.join(missing)}"
        )
        return None
    if len(form.year) != 4:
        form.errors["received_at"] = "The year must include 4 numbers, like 2026"
        return None
    try:
        day = date(int(form.year), int(form.month), int(form.day))
    except ValueError:
        form.errors["received_at"] = "The date must be a real date, like 27 3 2026"
        return None
    at = _clock_time(form.time)
    if at is None:
        form.errors["received_time"] = (
            "Enter the time, like 14:30" if not form.time
            else "Enter a real time on the 24-hour clock, like 09:15 or 14:30"
        )
        return None
    try:
        received = localise(datetime.combine(day, at), field="received_at")
    except InvalidInput as error:
        when = f"{_clock_words(at)} on {day:%-d %B %Y}"
        form.errors["received_time"] = (
            f"There was no {when} in the UK: the clocks went forward an hour. "
            "Enter the time as it was shown on the clock after they changed"
            if error.code == "nonexistent" else
            f"{when[0].upper()}{when[1:]} happened twice in the UK because the clocks went "
            "back. Enter a time before 1am or from 2am"
        )
        return None
    if received > now:
        form.errors["received_at"] = "The date and time cannot be in the future"
        return None
    if received < now - timedelta(days=OLDEST_DAYS):
        form.errors["received_at"] = "The date must be within the last year"
        return None
    return received


def _clock_time(text: str) -> time | None:
    match = TIME_PATTERN.match(text.strip().lower().replace(" ", ""))
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _clock_words(at: time) -> str:
    shown = at.hour % 12 or 12
    return f"{shown}:{at.minute:02d}{'am' if at.hour < 12 else 'pm'}"


# ---------------------------------------------------------------------------- step 2


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def contact_outcome(request: HttpRequest, token: str) -> HttpResponse:
    _require_may_log(request)
    draft = _draft(request, token)
    if draft is None:
        raise Http404("This contact is no longer being logged")
    if draft.get("contact_id"):  # already saved (a second click, or the back button)
        return HttpResponseRedirect(reverse("console:contact-result",
                                            args=[draft["contact_id"]]), status=303)
    now = timezone.now()
    customer = _customer(request, draft.get("customer_id"), now)
    choices = outcome_choices(service_code=draft["service_code"], customer=customer)
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {key: request.POST.get(key, "").strip() for key in (
            "outcome", "resolved_note", "knowledge_article", "signpost", "send_signpost",
            "handed_off_note", "case_type", "owner", "callback_note")}
        outcome = values["outcome"]
        note = values.get(f"{outcome}_note", "") if outcome in OUTCOME_LABELS else ""
        try:
            result = record_first_contact(
                channel=draft["channel"],
                received_at=parse_instant(draft["received_at"]),
                customer=customer,
                service_code=draft["service_code"],
                summary=draft["summary"],
                outcome=outcome,
                note=note,
                knowledge_article_id=_int(values["knowledge_article"])
                if outcome == "resolved" else None,
                signpost_org=_signpost(values["signpost"]) if outcome == "signposted" else None,
                send_signpost=outcome == "signposted" and values["send_signpost"] == "yes",
                case_type=values["case_type"] or None if outcome == "handed_off" else None,
                owner=_owner(values["owner"], choices.owners) if outcome == "handed_off"
                else None,
                by=request.user,  # type: ignore[arg-type]
                now=now,
                idempotency_key=f"console-contact:{token}",
            )
        except InvalidInput as error:
            errors[_outcome_field(error.field)] = error.message
        else:
            _finish_draft(request, token, result.contact.pk)
            return HttpResponseRedirect(
                reverse("console:contact-result", args=[result.contact.pk]), status=303
            )
    config = council_or_none()
    service = config.service(draft["service_code"]) if config else None
    return render_staff_page(
        request,
        "console/contacts/outcome.html",
        title="What happened?",
        nav="contacts",
        context={
            "draft": draft,
            "token": token,
            "customer": customer,
            "service": service,
            "team_name": config.team(service.team).name.get("en") if config and service else "",
            "channel_label": dict(CHANNELS).get(draft["channel"], draft["channel"]),
            "received_at": parse_instant(draft["received_at"]),
            "choices": choices,
            "outcome_labels": OUTCOME_LABELS,
            "case_types": [(c.value, c.label) for c in CaseType
                           if c.value not in {"callback", "foi", "sar"}],
            "values": values,
            "errors": _summary(errors, OUTCOME_ANCHORS),
            "field_errors": errors,
            "note_max": NOTE_MAX,
        },
        has_errors=bool(errors),
    )


OUTCOME_ANCHORS = {
    "outcome": "outcome",
    "resolved_note": "resolved_note",
    "knowledge_article": "knowledge_article",
    "signpost": "signpost",
    "send_signpost": "send_signpost",
    "handed_off_note": "handed_off_note",
    "case_type": "case_type",
    "owner": "owner",
    "callback_note": "callback_note",
}


def _outcome_field(field_name: str | None) -> str:
    """Errors from the actions name their own fields; map them onto this page's fields."""
    mapped = {"note": "outcome", "service_code": "outcome", "organisation.name": "signpost",
              "organisation.url": "signpost", "summary": "outcome", "received_at": "outcome",
              "channel": "outcome"}.get(field_name or "", field_name or "outcome")
    return mapped if mapped in OUTCOME_ANCHORS else "outcome"


def _signpost(value: str) -> Any:
    if not value:
        return None
    try:
        return get_signpost(value)
    except NotFound as error:
        raise InvalidInput("signpost", "unknown", error.message) from None


def _owner(value: str, owners: list[Any]) -> Any:
    if not value:
        return None
    for person in owners:
        if str(person.pk) == value:
            return person
    raise InvalidInput("owner", "unknown", "Choose someone from the team, or anyone")


# ---------------------------------------------------------------------------- result


@require_safe
@staff_only
def contact_result(request: HttpRequest, contact_id: int) -> HttpResponse:
    _require_may_log(request)
    try:
        result = first_contact_result(user=request.user, contact_id=contact_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404("No such contact") from None
    heading, tell = _what_to_say(result)
    return render_staff_page(
        request,
        "console/contacts/result.html",
        title=heading,
        nav="contacts",
        context={"result": result, "tell": tell, "outcome": result.outcome},
    )


def _what_to_say(result: FirstContactResult) -> tuple[str, str]:
    """The page heading and the sentence the agent reads out to the customer."""
    config = council_or_none()
    case = result.case
    if case is not None:
        team = config.team(case.team_code).name.get("en") if config else case.team_code
        who = (f"{case.owner.display_name or case.owner.email} in our {team} team"
               if case.owner is not None else f"Our {team} team")
        reference = f"Your reference is {case.reference}."
        if result.outcome == "callback":
            if case.promised_at is None:
                return "Callback arranged", (f"{who} will call you back as soon as they can. "
                                             f"{reference}")
            return "Callback arranged", (f"We will call you back by "
                                         f"{long_date(case.promised_at)}. {reference}")
        if case.promised_at is None:
            return f"Handed to {team}", f"{who} will contact you as soon as they can. {reference}"
        return f"Handed to {team}", (f"{who} will contact you by "
                                     f"{long_date(case.promised_at)}. {reference}")
    if result.outcome == "signposted" and result.signposted_to:
        org = result.signposted_to
        how = " or ".join(part for part in (
            f"call them on {org['phone']}" if org.get("phone") else "",
            f"go to {org['url']}" if org.get("url") else "",
        ) if part)
        tell = f"{org['name']} can help you with this" + (f": {how}." if how else ".")
        if result.customer_sent_details:
            tell += " We have sent you their details too."
        return "Signposted", tell
    return "Contact recorded", "Is there anything else I can help you with today?"


# ---------------------------------------------------------------------------- helpers


def _require_may_log(request: HttpRequest) -> None:
    if not can(request.user, "contact.log"):
        raise PermissionDenied("Your role does not log contacts")


def _customer(request: HttpRequest, customer_id: int | None, now: datetime) -> Customer | None:
    if customer_id is None:
        return None
    try:
        return get_customer_for_staff(user=request.user, customer_id=customer_id,
                                      purpose="Logging a contact", now=now)
    except NotFound:
        raise Http404("No such customer") from None


def _summary(errors: dict[str, str], anchors: dict[str, str]) -> list[dict[str, str]]:
    return [{"text": text, "href": f"#{anchors.get(name, name)}"} for name, text in errors.items()]


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def _drafts(request: HttpRequest) -> dict[str, dict[str, Any]]:
    drafts = request.session.get(DRAFTS_KEY)
    return drafts if isinstance(drafts, dict) else {}


def _draft(request: HttpRequest, token: str) -> dict[str, Any] | None:
    return _drafts(request).get(token) if token else None


def _save_draft(request: HttpRequest, form: Step1, received_at: datetime | None,
                existing: str | None) -> str:
    drafts = _drafts(request)
    token = existing if existing in drafts and not drafts[existing].get("contact_id") \
        else secrets.token_urlsafe(12)
    assert received_at is not None
    drafts[token] = {
        "channel": form.channel,
        "when": form.when,
        "received_at": received_at.astimezone(LONDON).isoformat(),
        "service_code": form.service_code,
        "summary": form.summary,
        "customer_id": form.customer_id,
    }
    # Keep only the most recent few: a draft is a call in progress, not a store.
    request.session[DRAFTS_KEY] = dict(list(drafts.items())[-DRAFTS_KEPT:])
    return token


def _finish_draft(request: HttpRequest, token: str, contact_id: int) -> None:
    drafts = _drafts(request)
    drafts[token] = {**drafts.get(token, {}), "contact_id": contact_id}
    request.session[DRAFTS_KEY] = drafts


def _step1_from_draft(draft: dict[str, Any]) -> Step1:
    local = parse_instant(draft["received_at"]).astimezone(LONDON)
    return Step1(
        channel=draft["channel"],
        when=draft.get("when", "now"),
        day=str(local.day),
        month=str(local.month),
        year=str(local.year),
        time=local.strftime("%H:%M"),
        service_code=draft["service_code"],
        summary=draft["summary"],
        customer_id=draft.get("customer_id"),
    )
