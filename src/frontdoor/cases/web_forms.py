"""Online forms sent through the resident portal: answering pages, sending, duplicates, drafts.

The portal keeps a resident's progress through a form in their session as a plain dict
(`FormState`); these actions check each page (`cases.form_fields`), hold uploaded files until
the form is sent, and turn the finished answers into a case (`submit_online_form`), a link to
an open report nearby (`add_me_to_report`) or, for a service another body provides, a
forwarded report (`forward_to_provider`). A resident who gave an email and left a form
unfinished gets one reminder (`send_abandoned_form_reminders`, a periodic task).

Customers are never matched by name or email: a guest's details make a new customer record
(staff merge duplicates); a signed-in resident is the customer of their earlier cases.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from frontdoor.accounts.models import Role
from frontdoor.cases.actions import (
    CaseLocation,
    add_attachment,
    add_reporter_to_case,
    open_case,
)
from frontdoor.cases.form_fields import (
    FieldError,
    UploadedFile,
    answer_text,
    clean_page,
    clean_text,
    missing_answer,
    unknown_answers,
)
from frontdoor.cases.models import OPEN_STATUSES, Case, CaseParty, PartyRole
from frontdoor.cases.uploads import CheckedFile, check_upload
from frontdoor.catalogue.drafts import FormDraft
from frontdoor.contacts.actions import log_contact, record_contact_outcome
from frontdoor.contacts.models import Contact
from frontdoor.contacts.models import Outcome as ContactOutcome
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.core.time import require_aware
from frontdoor.council.config import OnlineForm, Service
from frontdoor.council.errors import UnknownCode
from frontdoor.council.queries import current_council
from frontdoor.customers.actions import create_customer
from frontdoor.customers.models import Customer
from frontdoor.customers.queries import recipient_for_customer
from frontdoor.customers.validation import normalise_email, normalise_phone
from frontdoor.notifications.actions import queue_message
from frontdoor.notifications.errors import NoChannel
from frontdoor.notifications.recipients import Recipient

if TYPE_CHECKING:
    from frontdoor.accounts.models import User

FormState = dict[str, Any]
HELD_UPLOADS_DIR = "form-uploads"
REMINDER_AFTER = timedelta(hours=24)
NEARBY_RADIUS_M = 200
NEARBY_LIMIT = 10
EARTH_RADIUS_M = 6_371_000
NAME_MAX_LENGTH = 200


# ------------------------------------------------------------------------------ lookups


def find_form(service_code: str, form_code: str) -> tuple[Service, OnlineForm]:
    """The service and its online form from the current council, or NotFound."""
    config = current_council()
    try:
        return config.service(service_code), config.form(service_code, form_code)
    except UnknownCode:
        raise NotFound("No such form", field="form") from None


def new_form_state() -> FormState:
    """A fresh journey: no answers, its own idempotency key for the final send."""
    return {"answers": {}, "files": {}, "details": {}, "key": secrets.token_urlsafe(24),
            "draft": "", "nearby_checked": False, "done": None}


# ---------------------------------------------------------------------- answering pages


@dataclass
class PageResult:
    state: FormState
    errors: list[FieldError]
    raw: dict[str, str]


def answer_form_page(
    *,
    service_code: str,
    form_code: str,
    page_code: str,
    data: Mapping[str, Any],
    files: Mapping[str, UploadedFile | None],
    state: FormState,
    now: datetime,
    lang: str = "en",
) -> PageResult:
    """Check one page's answers; if they are all right, keep them (and any file) in `state`.

    With errors nothing is kept from the page. A resident who gave an email has their draft
    updated, so a reminder can bring them back.
    """
    _, form = find_form(service_code, form_code)
    page = next((p for p in form.pages if p.code == page_code), None)
    if page is None:
        raise NotFound("No such page", field="page")
    clean = clean_page(page=page, data=data, files=files, lang=lang)
    if clean.errors:
        return PageResult(state, clean.errors, clean.raw)
    answers = dict(state.get("answers", {}))
    held = dict(state.get("files", {}))
    for field in page.fields:
        answers.pop(field.name, None)
        if field.type == "file" and field.name in clean.files:
            release_held_upload(held.pop(field.name, None))
            held[field.name] = hold_upload(clean.files[field.name])
    answers.update(clean.answers)
    state = {**state, "answers": answers, "files": held}
    if any(f.type == "location" for f in page.fields):
        state["nearby_checked"] = False  # a new place: look for reports near it again
    _touch_draft(state, service_code=service_code, form_code=form_code, now=now)
    return PageResult(state, [], clean.raw)


def record_contact_details(
    *,
    service_code: str,
    form_code: str,
    data: Mapping[str, Any],
    state: FormState,
    now: datetime,
) -> PageResult:
    """A guest's name, email and phone: checked and kept; an email starts a draft for reminders."""
    find_form(service_code, form_code)
    raw = {key: str(data.get(key) or "")[:1000] for key in ("full_name", "email", "phone")}
    errors: list[FieldError] = []
    name = clean_text(raw["full_name"])
    if not name:
        errors.append(FieldError("full_name", "full_name", _("Enter your full name")))
    elif len(name) > NAME_MAX_LENGTH:
        errors.append(FieldError("full_name", "full_name",
                                 _("Your name must be 200 characters or fewer")))
    email = clean_text(raw["email"])
    if email:
        try:
            email = normalise_email(email)
        except InvalidInput:
            errors.append(FieldError("email", "email", _(
                "Enter an email address in the correct format, like name@example.com")))
    phone = clean_text(raw["phone"])
    if phone:
        try:
            phone = normalise_phone(phone)
        except InvalidInput:
            errors.append(FieldError("phone", "phone", _(
                "Enter a phone number, like 01263 513811 or 07700 900982")))
    if errors:
        return PageResult(state, errors, raw)
    state = {**state, "details": {"full_name": name, "email": email, "phone": phone}}
    _touch_draft(state, service_code=service_code, form_code=form_code, now=now)
    return PageResult(state, [], raw)


def _touch_draft(state: FormState, *, service_code: str, form_code: str, now: datetime) -> None:
    details = state.get("details") or {}
    email = details.get("email") or state.get("account_email") or ""
    if not email or state.get("done"):
        return
    if not state.get("draft"):
        state["draft"] = secrets.token_urlsafe(24)
    save_form_draft(token=state["draft"], service_code=service_code, form_code=form_code,
                    email=email, name=details.get("full_name", ""),
                    answers=state.get("answers", {}), now=now)


# ------------------------------------------------------------------------- held uploads


def hold_upload(upload: CheckedFile) -> dict[str, Any]:
    """Keep a checked file until the form is sent; returns what the session remembers."""
    extension = upload.name.rsplit(".", 1)[-1]
    path = default_storage.save(
        f"{HELD_UPLOADS_DIR}/{secrets.token_hex(16)}.{extension}", ContentFile(upload.content)
    )
    return {"name": upload.name, "path": path, "sha256": upload.sha256,
            "content_type": upload.content_type, "size": upload.size}


def release_held_upload(held: Mapping[str, Any] | None) -> None:
    if held and str(held.get("path", "")).startswith(f"{HELD_UPLOADS_DIR}/"):
        default_storage.delete(held["path"])


def _load_held(field: str, held: Mapping[str, Any]) -> CheckedFile:
    path = str(held.get("path", ""))
    if not path.startswith(f"{HELD_UPLOADS_DIR}/") or not default_storage.exists(path):
        raise InvalidInput(field, "expired", _("Your file was not kept: please upload it again"))
    with default_storage.open(path, "rb") as handle:
        content = handle.read()
    checked = check_upload(name=str(held.get("name") or "file"), content=content, field=field)
    if checked.sha256 != held.get("sha256"):
        raise InvalidInput(field, "changed", _("Your file was not kept: please upload it again"))
    return checked


# ------------------------------------------------------------------------------ sending


@dataclass(frozen=True)
class CustomerDetails:
    full_name: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class SubmittedForm:
    case: Case
    # A guest's private tracking token (shown once, only its SHA-256 is stored); "" otherwise.
    tracking_token: str


def tracking_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _tracking_token(idempotency_key: str) -> str:
    # Derived from the journey's random key with the server's secret, so a retried send (a
    # double click whose first response was lost) can show the same link again; only its
    # SHA-256 is stored.
    digest = hmac.new(settings.SECRET_KEY.encode(), f"track:{idempotency_key}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def submit_online_form(
    *,
    service_code: str,
    form_code: str,
    answers: Mapping[str, Any],
    files: Mapping[str, Mapping[str, Any]],
    account: User | None,
    customer_details: CustomerDetails | None,
    now: datetime,
    idempotency_key: str,
    draft_token: str = "",
) -> SubmittedForm:
    """Open the case a finished form asks for, with its answers, files and location.

    The same idempotency key again returns the first case (a double click or a refresh never
    makes two). Nothing is stored unless everything is: answers, files, customer, contact, case.
    """
    require_aware(now)
    if not idempotency_key:
        raise InvalidInput("idempotency_key", "required", "Each form journey needs its key")
    service, form = find_form(service_code, form_code)
    if service.provided_by is not None:
        raise InvalidInput("service_code", "provided_elsewhere",
                           f"{service.provided_by.name} provides this service")
    resident = _resident(account)
    token = "" if resident is not None else _tracking_token(idempotency_key)
    existing = Case.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        same = bool(token) and existing.tracking_token_hash == tracking_token_hash(token)
        return SubmittedForm(existing, token if same else "")
    _require_complete(form, answers, files)
    uploads = {name: _load_held(name, held) for name, held in files.items()}
    location = _location_of(form, answers)
    with transaction.atomic():
        customer = _customer(resident, customer_details, now=now)
        contact = log_contact(
            channel="web_form", customer=customer, received_at=now, service_code=service_code,
            summary=form.name.get("en"), handled_by=None, now=now,
            idempotency_key=f"{idempotency_key}:contact",
        )
        case = open_case(
            case_type=form.case_type or service.case_type,
            service_code=service_code,
            customer=customer,
            contact=contact,
            title=form.name.get("en"),
            description=_answers_text(form, answers, files),
            received_at=now,
            channel="web_form",
            by=resident,
            now=now,
            location=location,
            idempotency_key=idempotency_key,
            account=resident,
            tracking_token_hash=tracking_token_hash(token) if token else "",
            form_answers={"form": form.code, **_json_answers(form, answers, files)},
        )
        for upload in uploads.values():
            add_attachment(case=case, upload=upload, source="portal", by=resident, now=now,
                           contact=contact)
        if draft_token:
            FormDraft.objects.filter(token=draft_token).update(submitted_at=now, answers={})
    for held in files.values():
        release_held_upload(held)
    return SubmittedForm(case, token)


def _require_complete(form: OnlineForm, answers: Mapping[str, Any],
                      files: Mapping[str, Any]) -> None:
    unknown = unknown_answers(form, answers)
    if unknown:
        raise InvalidInput(unknown[0], "unknown", f"{unknown[0]!r} is not a question on this form")
    missing = missing_answer(form, answers, files)
    if missing is not None:
        raise InvalidInput(missing.name, "required",
                           _("Answer the question: %(label)s") % {"label": missing.label.get()})


def _resident(account: User | None) -> User | None:
    if account is None or not account.is_authenticated:
        return None
    if account.role != Role.RESIDENT:
        raise InvalidInput("account", "not_resident", "Staff use the console to make cases")
    return account


def _customer(resident: User | None, details: CustomerDetails | None, *, now: datetime
              ) -> Customer | None:
    """The signed-in resident's customer record, else a new one from the details given."""
    if resident is not None:
        party = (CaseParty.objects.filter(case__account=resident, role=PartyRole.CUSTOMER,
                                          customer__erased_at__isnull=True,
                                          customer__merged_into__isnull=True)
                 .select_related("customer").order_by("-case__opened_at", "-pk").first())
        if party is not None:
            return party.customer
        details = CustomerDetails(
            full_name=(details.full_name if details else "") or resident.display_name
            or resident.email.split("@")[0],
            email=resident.email,
            phone=details.phone if details else "",
        )
    if details is None or not details.full_name.strip():
        raise InvalidInput("full_name", "required", _("Enter your full name"))
    given, _sep, family = details.full_name.strip().rpartition(" ")
    if not given:
        given, family = family, ""
    return create_customer(
        kind="person", given_name=given[:100], family_name=family[:100],
        preferred_channel="email" if details.email else "none",
        emails=[details.email] if details.email else [],
        phones=[details.phone] if details.phone else [],
        by=None, now=now,
    )


def _location_of(form: OnlineForm, answers: Mapping[str, Any]) -> CaseLocation | None:
    for field in form.fields:
        value = answers.get(field.name)
        if field.type == "location" and value:
            return CaseLocation(latitude=value.get("latitude") or None,
                                longitude=value.get("longitude") or None,
                                address=str(value.get("description") or ""))
    for field in form.fields:
        value = answers.get(field.name)
        if field.type == "address" and value:
            return CaseLocation(address=answer_text(field, value).replace("\n", ", "),
                                uprn=int(value["uprn"]) if value.get("uprn") else None)
    return None


def _json_answers(form: OnlineForm, answers: Mapping[str, Any],
                  files: Mapping[str, Any]) -> dict[str, Any]:
    saved: dict[str, Any] = {}
    for field in form.fields:
        if field.type == "file" and field.name in files:
            saved[field.name] = {"name": files[field.name]["name"],
                                 "sha256": files[field.name]["sha256"]}
        elif field.name in answers:
            saved[field.name] = answers[field.name]
    return saved


def _answers_text(form: OnlineForm, answers: Mapping[str, Any],
                  files: Mapping[str, Any]) -> str:
    lines = []
    for field in form.fields:
        value = files.get(field.name) if field.type == "file" else answers.get(field.name)
        if value:
            lines.append(f"{field.label.get('en')}\n{answer_text(field, value)}")
    return "\n\n".join(lines)


# ----------------------------------------------------------------- reports near a place


@dataclass(frozen=True)
class NearbyReport:
    reference: str
    title: str
    address: str
    received_at: datetime
    status: str
    distance_m: int


def nearby_open_reports(
    *,
    service_code: str,
    latitude: Decimal | float | str,
    longitude: Decimal | float | str,
    radius_m: int = NEARBY_RADIUS_M,
) -> list[NearbyReport]:
    """Open cases of the service within `radius_m` metres of the point, nearest first.

    A bounding box narrows the rows in SQL (on any database); the haversine distance decides.
    Only what the public may see: reference, title, the place as described, date and status.
    """
    lat, lng = float(latitude), float(longitude)
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
    rows = (Case.objects.filter(
        service_code=service_code, status__in=OPEN_STATUSES, parent__isnull=True,
        latitude__gte=Decimal(str(lat - dlat)), latitude__lte=Decimal(str(lat + dlat)),
        longitude__gte=Decimal(str(lng - dlng)), longitude__lte=Decimal(str(lng + dlng)),
    ).order_by("-received_at")[:200])
    found = []
    for case in rows:
        distance = haversine_m(lat, lng, float(case.latitude or 0), float(case.longitude or 0))
        if distance <= radius_m:
            found.append(NearbyReport(case.reference, case.title, case.address,
                                      case.received_at, case.get_status_display(),
                                      round(distance)))
    return sorted(found, key=lambda r: r.distance_m)[:NEARBY_LIMIT]


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def add_me_to_report(
    *,
    reference: str,
    service_code: str,
    latitude: Decimal | float | str,
    longitude: Decimal | float | str,
    account: User | None,
    customer_details: CustomerDetails | None,
    now: datetime,
    idempotency_key: str,
) -> Case:
    """Add the resident to an open report near their place instead of making a duplicate.

    Only a report this journey was shown (open, same service, within the radius of the place
    the resident gave) can be joined, so nobody attaches themselves to other people's cases
    by guessing references. A new contact and a reporter party are linked to the case.
    """
    require_aware(now)
    shown = {r.reference for r in nearby_open_reports(
        service_code=service_code, latitude=latitude, longitude=longitude)}
    if reference not in shown:
        raise NotFound("That report is not one near the place you gave", field="reference")
    case = Case.objects.get(reference=reference)
    resident = _resident(account)
    existing = Contact.objects.filter(idempotency_key=f"{idempotency_key}:contact").first()
    if existing is not None:
        return case
    with transaction.atomic():
        customer = _customer(resident, customer_details, now=now)
        contact = log_contact(
            channel="web_form", customer=customer, received_at=now, service_code=service_code,
            summary=f"Also reported: {case.title}", handled_by=None, now=now,
            idempotency_key=f"{idempotency_key}:contact",
        )
        add_reporter_to_case(case=case, contact=contact, by=resident, now=now)
        if customer is not None:
            _tell(customer, event="case_update", key=f"add-me:{contact.pk}", now=now,
                  subject_ref=("case", case.reference), data={
                      "reference": case.reference,
                      "update": _("Thank you. We have added you to this report, so you will "
                                  "hear when it is dealt with."),
                  })
    return case


def _tell(customer: Customer, *, event: str, key: str, data: dict[str, Any], now: datetime,
          subject_ref: tuple[str, str] | None = None) -> bool:
    try:
        queue_message(event=event, recipient=recipient_for_customer(customer), data=data,
                      idempotency_key=key, subject_ref=subject_ref, customer_ref=customer.pk,
                      now=now)
    except NoChannel:
        return False
    return True


# ------------------------------------------------------------ services others provide


@dataclass(frozen=True)
class ForwardedReport:
    contact: Contact
    reference: str
    provider_name: str
    sent_to_provider: bool  # False: the resident was given the provider's details instead


def forward_to_provider(
    *,
    service_code: str,
    form_code: str,
    answers: Mapping[str, Any],
    account: User | None,
    customer_details: CustomerDetails | None,
    now: datetime,
    idempotency_key: str,
) -> ForwardedReport:
    """A report for a service another body provides (the county's potholes, street lights).

    Records a signposted contact; queues the report to the provider's email when the council
    configured one, and tells the resident (if they gave an email) where it went or how to
    reach the provider. Files are not forwarded: the provider may ask for them.
    """
    require_aware(now)
    service, form = find_form(service_code, form_code)
    provider = service.provided_by
    if provider is None:
        raise InvalidInput("service_code", "not_forwarded", "We provide this service ourselves")
    prefix = current_council().council.reference_prefix
    existing = Contact.objects.filter(idempotency_key=f"{idempotency_key}:contact").first()
    if existing is not None:
        return ForwardedReport(existing, f"{prefix}-FWD-{existing.pk:06d}", provider.name,
                               bool(provider.email))
    _require_complete(form, answers, {})
    resident = _resident(account)
    with transaction.atomic():
        customer = _customer(resident, customer_details, now=now)
        contact = log_contact(
            channel="web_form", customer=customer, received_at=now, service_code=service_code,
            summary=f"{form.name.get('en')}\n\n{_answers_text(form, answers, {})}",
            handled_by=None, now=now, idempotency_key=f"{idempotency_key}:contact",
        )
        reference = f"{prefix}-FWD-{contact.pk:06d}"
        contact.signposted_to = {"name": provider.name, "phone": provider.phone or "",
                                 "url": provider.url}
        record_contact_outcome(contact=contact, outcome=ContactOutcome.SIGNPOSTED,
                               note=f"Forwarded to {provider.name}" if provider.email
                               else f"Signposted to {provider.name}",
                               by=None, now=now, extra_fields=["signposted_to"])
        if provider.email:
            queue_message(
                event="case_update",
                recipient=Recipient(name=provider.name, email=provider.email),
                data={"reference": reference,
                      "update": f"A resident reported this through our website.\n\n"
                                f"{form.name.get('en')}\n\n"
                                f"{_answers_text(form, answers, {})}"},
                idempotency_key=f"forward:{contact.pk}:provider", now=now,
            )
            told = _("We have sent your report to %(name)s. They will deal with it.") % {
                "name": provider.name}
        else:
            told = _("%(name)s deals with this. Please report it to them: %(url)s") % {
                "name": provider.name, "url": provider.url}
            if provider.phone:
                told += " " + _("or call %(phone)s.") % {"phone": provider.phone}
        if customer is not None:
            _tell(customer, event="case_update", key=f"forward:{contact.pk}:resident", now=now,
                  data={"reference": reference, "update": told})
    return ForwardedReport(contact, reference, provider.name, bool(provider.email))


# ------------------------------------------------------------- drafts and reminders


def save_form_draft(
    *,
    token: str,
    service_code: str,
    form_code: str,
    email: str,
    name: str,
    answers: Mapping[str, Any],
    now: datetime,
) -> FormDraft:
    """Create or update the draft of an unfinished form (for one reminder by email)."""
    require_aware(now)
    draft, created = FormDraft.objects.get_or_create(
        token=token,
        defaults={"service_code": service_code, "form_code": form_code, "email": email,
                  "name": name[:200], "answers": dict(answers), "started_at": now,
                  "updated_at": now},
    )
    if not created and draft.submitted_at is None:
        draft.email, draft.name, draft.answers, draft.updated_at = (
            email, name[:200], dict(answers), now)
        draft.save(update_fields=["email", "name", "answers", "updated_at"])
    return draft


def draft_for_resume(*, token: str, now: datetime) -> FormDraft:
    """An unsent draft by its emailed token, or NotFound (sent, unknown, or over 30 days old)."""
    draft = FormDraft.objects.filter(token=token, submitted_at__isnull=True).first()
    if draft is None or draft.updated_at < now - timedelta(days=30):
        raise NotFound("That link has expired", field="token")
    return draft


def resume_url(draft: FormDraft) -> str:
    base = getattr(settings, "FRONTDOOR_PUBLIC_URL", "") or "http://127.0.0.1:8000"
    # The portal's route for resuming (portal/form_urls.py "form_resume").
    return (f"{base.rstrip('/')}/services/{draft.service_code}/{draft.form_code}/resume/"
            f"{draft.token}/")


def send_abandoned_form_reminders(*, now: datetime, after: timedelta = REMINDER_AFTER) -> int:
    """One friendly reminder per unsent draft untouched for `after`; never a second one."""
    require_aware(now)
    config = current_council()
    sent = 0
    due = FormDraft.objects.filter(submitted_at__isnull=True, reminded_at__isnull=True,
                                   updated_at__lte=now - after).order_by("updated_at")[:500]
    for draft in due:
        with transaction.atomic():
            claimed = FormDraft.objects.filter(pk=draft.pk, reminded_at__isnull=True,
                                               submitted_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue
            try:
                form_name = config.form(draft.service_code, draft.form_code).name.get("en")
            except UnknownCode:
                continue  # the form was withdrawn since: nothing to come back to
            queue_message(
                event="form_reminder",
                recipient=Recipient(name=draft.name or draft.email, email=draft.email),
                data={"form_name": form_name, "resume_url": resume_url(draft)},
                idempotency_key=f"form-reminder:{draft.pk}",
                now=now,
            )
            sent += 1
    return sent


@task()
def send_abandoned_form_reminders_task() -> int:
    from django.utils import timezone

    return send_abandoned_form_reminders(now=timezone.now())
