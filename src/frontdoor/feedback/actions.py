"""Feedback: compliments, comments and complaints from residents, stage 2 reviews, surveys.

Feedback is a case (type compliment, comment or complaint) so it has a reference, a team,
charter clocks (a complaint starts complaint-ack and complaint-response) and a history. A
complaint goes to the team of the council's complaint service when it has one, else to the
team of the service it is about; compliments and comments go to the service's team, or to
the general enquiry team when no service is named. Staged procedures, remedies and learning
on the staff side are a later issue.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from frontdoor.accounts.errors import InvalidInputs
from frontdoor.accounts.models import Role, User
from frontdoor.cases.actions import open_case
from frontdoor.cases.models import Case, CaseType, Outcome, PartyRole
from frontdoor.cases.portal_access import case_for_account, case_for_tracking_token
from frontdoor.cases.web_forms import tracking_token_hash
from frontdoor.contacts.actions import log_contact
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.core.time import require_aware
from frontdoor.council.config import CouncilConfig
from frontdoor.council.errors import UnknownCode
from frontdoor.council.queries import current_council
from frontdoor.customers.actions import create_customer
from frontdoor.customers.models import Customer
from frontdoor.customers.queries import recipient_for_customer
from frontdoor.customers.self_service import customer_for_account
from frontdoor.customers.validation import normalise_email, normalise_phone
from frontdoor.feedback.errors import AlreadyAnswered, AlreadyEscalated
from frontdoor.feedback.models import (
    FirstTime,
    Rating,
    SurveyChannel,
    SurveyInvitation,
    SurveyResponse,
)
from frontdoor.feedback.queries import invitation_for_token, may_escalate, token_hash
from frontdoor.notifications.actions import queue_message
from frontdoor.notifications.errors import NoChannel

FEEDBACK_KINDS = (CaseType.COMPLIMENT, CaseType.COMMENT, CaseType.COMPLAINT)
MAX_TEXT = 5000
MAX_COMMENT = 2000
# Cases resolved longer ago than this are not invited (turning surveys on never mails the past).
SURVEY_WINDOW = timedelta(days=14)
NOT_SURVEYED_TYPES = (CaseType.COMPLIMENT, CaseType.COMMENT)
NOT_SURVEYED_OUTCOMES = (Outcome.DUPLICATE, Outcome.WITHDRAWN)

Access = User | str  # the signed-in resident, or a guest's tracking token


@dataclass(frozen=True)
class PersonDetails:
    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class GivenFeedback:
    case: Case
    tracking_token: str  # a guest's private link to the case ("" for My Account)


def give_feedback(
    *,
    kind: str,
    service_code: str,
    what_happened: str,
    remedy: str = "",
    about_case: Case | None = None,
    account: User | None,
    details: PersonDetails,
    now: datetime,
    idempotency_key: str,
) -> GivenFeedback:
    """Record a compliment, comment or complaint as a case (a complaint at stage 1).

    Every problem with the input is reported at once; nothing is stored unless everything
    is. The same idempotency key again returns the first case.
    """
    require_aware(now)
    if not idempotency_key:
        raise InvalidInput("idempotency_key", "required", "Each feedback needs its key")
    resident = _resident(account)
    token = "" if resident is not None else _tracking_token(idempotency_key)
    existing = Case.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return GivenFeedback(existing, token)
    config = current_council()
    problems: list[InvalidInput] = []
    if kind not in FEEDBACK_KINDS:
        problems.append(InvalidInput("kind", "required",
                                     "Choose a compliment, a comment or a complaint"))
    if service_code:
        try:
            config.service(service_code)
        except UnknownCode:
            problems.append(InvalidInput("service", "invalid", "Choose a service from the list"))
    text = (what_happened or "").strip()
    if not text:
        problems.append(InvalidInput("what_happened", "required", _what_prompt(kind)))
    elif len(text) > MAX_TEXT:
        problems.append(InvalidInput("what_happened", "too_long",
                                     f"Your feedback must be {MAX_TEXT} characters or fewer"))
    remedy = (remedy or "").strip() if kind == CaseType.COMPLAINT else ""
    if len(remedy) > MAX_TEXT:
        problems.append(InvalidInput("remedy", "too_long",
                                     f"What would put it right must be {MAX_TEXT} characters "
                                     "or fewer"))
    person = _check_person(details, resident=resident, kind=kind, problems=problems)
    if problems:
        raise InvalidInputs(problems)
    service_code, team_code = _route(config, kind, service_code or
                                     (about_case.service_code if about_case else ""))
    description = text
    if remedy:
        description += f"\n\nWhat would put it right: {remedy}"
    if about_case is not None:
        description += f"\n\nAbout request {about_case.reference}."
    label = {CaseType.COMPLAINT: "Complaint", CaseType.COMPLIMENT: "Compliment",
             CaseType.COMMENT: "Comment"}[CaseType(kind)]
    title = f"{label} about {config.service(service_code).name.get('en')}"
    try:
        with transaction.atomic():
            customer = _customer(resident, person, now=now)
            case = _open(kind=kind, service_code=service_code, team_code=team_code,
                         customer=customer, title=title, description=description,
                         resident=resident, stage=1 if kind == CaseType.COMPLAINT else None,
                         now=now, key=idempotency_key, account=resident, token=token,
                         related_to=about_case)
    except IntegrityError:
        existing = Case.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return GivenFeedback(existing, token)
        raise
    return GivenFeedback(case, token)


def feedback_about(access: Access, reference: str) -> Case:
    """The case feedback is about, if the resident can see it; NotFound otherwise."""
    if isinstance(access, str):
        return case_for_tracking_token(access)
    return case_for_account(access, reference)


def escalate_complaint(*, case: Case, reason: str, access: Access, now: datetime
                       ) -> GivenFeedback:
    """Ask for a stage 2 review of a stage 1 complaint that has had its response.

    Opens a stage 2 complaint case (its own charter clocks) linked to the first as its parent.
    """
    require_aware(now)
    found = feedback_about(access, case.reference)
    if found.pk != case.pk:
        raise NotFound("No such request", field="reference")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason", "required",
                           "Tell us why you are unhappy with our response")
    if len(reason) > MAX_TEXT:
        raise InvalidInput("reason", "too_long", f"Your reason must be {MAX_TEXT} characters "
                           "or fewer")
    resident = None if isinstance(access, str) else _resident(access)
    key = f"escalate:{case.reference}"
    token = "" if resident is not None else _tracking_token(key)
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        if not may_escalate(found):
            raise AlreadyEscalated(
                "This complaint cannot go to stage 2: it already has a review, or we have "
                "not responded to it yet", field="reason")
        party = found.parties.filter(role=PartyRole.CUSTOMER).select_related("customer").first()
        stage2 = _open(kind=CaseType.COMPLAINT, service_code=found.service_code,
                       team_code=found.team_code,
                       customer=party.customer if party is not None else None,
                       title=f"Stage 2 review of complaint {found.reference}",
                       description=f"Why the resident is unhappy with our response: {reason}",
                       resident=resident, stage=2, now=now, key=key,
                       account=found.account if found.account_id else resident, token=token,
                       related_to=found)
    return GivenFeedback(stage2, token)


# ------------------------------------------------------------------------------ surveys


def invite_to_survey(*, case: Case, now: datetime) -> SurveyInvitation:
    """Invite the case's customer to the satisfaction survey, once per case.

    The invitation row is written even when nobody can be told (no customer, or no way to
    reach them), with the reason, so the case is not tried again.
    """
    require_aware(now)
    existing = SurveyInvitation.objects.filter(case_id=case.pk).first()
    if existing is not None:
        return existing
    party = case.parties.filter(role=PartyRole.CUSTOMER).select_related("customer").first()
    customer = party.customer if party is not None else None
    try:
        with transaction.atomic():
            if customer is None or customer.erased_at is not None:
                return SurveyInvitation.objects.create(
                    case=case, invited_at=now, not_sent_reason="The case has no customer")
            token = secrets.token_urlsafe(32)
            invitation = SurveyInvitation.objects.create(case=case, invited_at=now,
                                                         token_hash=token_hash(token))
            try:
                queue_message(
                    event="survey_invitation", recipient=recipient_for_customer(customer),
                    data={"reference": case.reference, "survey_url": survey_url(token)},
                    idempotency_key=f"survey:{case.reference}",
                    subject_ref=("case", case.reference), customer_ref=customer.pk, now=now,
                )
            except NoChannel:
                invitation.token_hash = None
                invitation.not_sent_reason = "No email, mobile number or address on record"
                invitation.save(update_fields=["token_hash", "not_sent_reason"])
            return invitation
    except IntegrityError:  # another worker invited this case first
        return SurveyInvitation.objects.get(case_id=case.pk)


def invite_newly_resolved(*, now: datetime, limit: int = 500) -> int:
    """Invite customers of cases resolved in the last 14 days that have no invitation yet."""
    require_aware(now)
    cases = (Case.objects.filter(resolved_at__isnull=False, resolved_at__gte=now - SURVEY_WINDOW,
                                 resolved_at__lte=now, survey_invitation__isnull=True)
             .exclude(case_type__in=NOT_SURVEYED_TYPES)
             .exclude(outcome__in=NOT_SURVEYED_OUTCOMES)
             .order_by("resolved_at", "pk")[:limit])
    count = 0
    for case in cases:
        invitation = invite_to_survey(case=case, now=now)
        count += bool(invitation.token_hash)
    return count


def survey_url(token: str) -> str:
    base = getattr(settings, "FRONTDOOR_PUBLIC_URL", "") or "http://127.0.0.1:8000"
    return base.rstrip("/") + reverse("portal:survey", args=[token])


SURVEY_FIELDS: dict[str, tuple[type, str]] = {
    "ease_of_access": (Rating, "Choose how satisfied you were with how easy it was to reach us"),
    "resolved_first_time": (FirstTime, "Choose whether we sorted it out the first time"),
    "satisfaction_service": (Rating, "Choose how satisfied you were with the service"),
    "satisfaction_staff": (Rating, "Choose how satisfied you were with our staff"),
    "channel_used": (SurveyChannel, "Choose how you contacted us"),
    "preferred_channel": (SurveyChannel, "Choose how you would prefer to contact us"),
}


def submit_survey(*, token: str, answers: Mapping[str, str], now: datetime,
                  channel: str = "web_form") -> SurveyResponse:
    """Store the answers to a case's survey; one response per case (AlreadyAnswered after)."""
    require_aware(now)
    invitation = invitation_for_token(token)
    if SurveyResponse.objects.filter(case_id=invitation.case_id).exists():
        raise AlreadyAnswered("You have already answered this survey. Thank you",
                              field="token")
    problems: list[InvalidInput] = []
    clean: dict[str, str] = {}
    for name, (choices, message) in SURVEY_FIELDS.items():
        value = str(answers.get(name, "") or "")
        if value not in choices.values:  # type: ignore[attr-defined]
            problems.append(InvalidInput(name, "required", message))
        clean[name] = value
    comment = str(answers.get("comment", "") or "").strip()
    if len(comment) > MAX_COMMENT:
        problems.append(InvalidInput("comment", "too_long",
                                     f"Your comment must be {MAX_COMMENT} characters or fewer"))
    if problems:
        raise InvalidInputs(problems)
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                case_id=invitation.case_id, case_reference=invitation.case.reference,
                comment=comment, submitted_at=now, channel=channel, **clean)
    except IntegrityError:
        raise AlreadyAnswered("You have already answered this survey. Thank you",
                              field="token") from None


# ----------------------------------------------------------------------------- helpers


def _resident(account: User | None) -> User | None:
    if account is None or not account.is_authenticated:
        return None
    if account.role != Role.RESIDENT:
        raise InvalidInput("account", "not_resident", "Staff record feedback in the console")
    return account


def _tracking_token(key: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"feedback-track:{key}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _what_prompt(kind: str) -> str:
    prompts: dict[str, str] = {
        CaseType.COMPLAINT: "Tell us what went wrong",
        CaseType.COMPLIMENT: "Tell us what went well",
    }
    return prompts.get(kind, "Enter your comment")


def _check_person(details: PersonDetails, *, resident: User | None, kind: str,
                  problems: list[InvalidInput]) -> PersonDetails:
    if resident is not None:
        return PersonDetails(name=resident.display_name or "", email=resident.email)
    name = " ".join((details.name or "").split())
    email = phone = ""
    try:
        email = normalise_email(details.email, field="email") if details.email.strip() else ""
    except InvalidInput as problem:
        problems.append(problem)
    try:
        phone = normalise_phone(details.phone, field="phone") if details.phone.strip() else ""
    except InvalidInput as problem:
        problems.append(problem)
    anonymous = not (name or details.email.strip() or details.phone.strip())
    if kind == CaseType.COMPLAINT or not anonymous:
        if not name:
            problems.append(InvalidInput("name", "required", "Enter your full name"))
        if not details.email.strip() and not details.phone.strip():
            problems.append(InvalidInput("email", "required",
                                         "Enter an email address or a phone number so we can "
                                         "reply"))
    return PersonDetails(name=name[:200], email=email, phone=phone)


def _route(config: CouncilConfig, kind: str, service_code: str) -> tuple[str, str]:
    """(service code, team code) the case is opened with."""
    complaint_service = next((s for s in config.services if s.case_type == "complaint"), None)
    general = next((s for s in config.services if s.case_type == "enquiry"), None)
    fallback = complaint_service if kind == CaseType.COMPLAINT else general
    if not service_code:
        if fallback is None:
            raise InvalidInput("service", "required", "Choose the service it is about")
        service_code = fallback.code
    service = config.service(service_code)
    if kind == CaseType.COMPLAINT and complaint_service is not None:
        return service_code, complaint_service.team
    return service_code, service.team


def _customer(resident: User | None, person: PersonDetails, *, now: datetime
              ) -> Customer | None:
    if resident is not None:
        found = customer_for_account(resident)
        if found is not None:
            return found
    if not person.name:
        return None  # an anonymous compliment or comment
    given, _sep, family = person.name.rpartition(" ")
    if not given:
        given, family = family, ""
    return create_customer(
        kind="person", given_name=given[:100], family_name=family[:100],
        preferred_channel="email" if person.email else ("sms" if person.phone else "none"),
        emails=[person.email] if person.email else [],
        phones=[person.phone] if person.phone else [], by=None, now=now,
    )


def _open(*, kind: str, service_code: str, team_code: str, customer: Customer | None,
          title: str, description: str, resident: User | None, stage: int | None,
          now: datetime, key: str, account: User | None, token: str,
          related_to: Case | None) -> Case:
    """The feedback's case, followed by `account` or the guest's `token`, and about
    `related_to` (the request the feedback is about, or the complaint under review)."""
    contact = log_contact(channel="web_form", customer=customer, received_at=now,
                          service_code=service_code, summary=title, handled_by=None, now=now,
                          idempotency_key=f"{key}:contact")
    return open_case(case_type=kind, service_code=service_code, customer=customer,
                     contact=contact, title=title, description=description, received_at=now,
                     channel="web_form", by=resident, now=now, team_code=team_code,
                     complaint_stage=stage, idempotency_key=key, account=account,
                     tracking_token_hash=tracking_token_hash(token) if token else "",
                     related_to=related_to)
