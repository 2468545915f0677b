"""Assisted digital: staff complete a service's online form with a customer who cannot.

An agent on the phone or at the front desk walks the same form definition a resident would
(`cases.form_fields` checks each page), then `submit_form_for_customer` opens the case for
the customer whose record it started from: the channel is how the customer reached us
(phone or face to face), the agent is who entered it, and the case history says it was
completed with the customer. Afterwards the agent may offer My Account:
`invite_customer_to_my_account` emails a sign-up link with the address filled in. Nothing
here links an account to a customer: staff do that after an identity check
(`customers.self_service.link_account_to_customer`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.db import transaction

from frontdoor.accounts.models import ResidentAccount, User
from frontdoor.accounts.permissions import require
from frontdoor.audit.actions import record_change
from frontdoor.cases.actions import CaseLocation, open_case
from frontdoor.cases.form_fields import answer_text, missing_answer, unknown_answers
from frontdoor.cases.models import Case
from frontdoor.cases.web_forms import find_form
from frontdoor.contacts.actions import log_contact
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.core.time import require_aware
from frontdoor.council.config import OnlineForm, Service
from frontdoor.council.queries import current_council
from frontdoor.customers.actions import record_customer_change
from frontdoor.customers.models import Customer, CustomerEvent
from frontdoor.notifications.actions import queue_message
from frontdoor.notifications.recipients import Recipient

if TYPE_CHECKING:
    from collections.abc import Callable

# How the customer reached us when staff fill in a form with them.
ASSISTED_CHANNELS: dict[str, str] = {"phone": "Phone", "face_to_face": "Face to face"}
INVITED_ACTION = "account_invited"
_INVITATION_SALT = "frontdoor.cases.assisted_digital.invitation"
INVITATION_MAX_AGE_SECONDS = 30 * 24 * 3600


# ------------------------------------------------------------------------------ lookups


@dataclass(frozen=True)
class AssistedForm:
    service: Service
    form: OnlineForm


def forms_for_assisted_completion() -> list[AssistedForm]:
    """The online forms staff can complete with a customer, by service name.

    Forms of services another body provides are left out (they are signposted, not ours),
    and so are forms that need a file: a customer on the phone cannot hand one over.
    """
    config = current_council()
    services = {service.code: service for service in config.services}
    found = []
    for form in config.forms:
        service = services.get(form.service)
        if service is None or service.provided_by is not None:
            continue
        if any(field.type == "file" and field.required for field in form.fields):
            continue
        found.append(AssistedForm(service, form))
    return sorted(found, key=lambda f: (f.service.name.get("en"), f.form.name.get("en")))


def find_assisted_form(service_code: str, form_code: str) -> AssistedForm:
    """The form if staff may complete it with a customer, else NotFound."""
    service, form = find_form(service_code, form_code)
    if service.provided_by is not None or any(
            field.type == "file" and field.required for field in form.fields):
        raise NotFound("Staff cannot complete this form with a customer", field="form")
    return AssistedForm(service, form)


def completed_with_customer_by(agent: User) -> str:
    return f"Completed with the customer by {agent.display_name or agent.email}"


# ------------------------------------------------------------------------------ sending


def submit_form_for_customer(
    *,
    customer: Customer,
    service_code: str,
    form_code: str,
    answers: Mapping[str, Any],
    channel: str,
    by: User,
    now: datetime,
    idempotency_key: str,
) -> Case:
    """Open the case a finished form asks for, for this customer, recorded as assisted.

    The contact is on `channel` (phone or face to face) handled by `by`; the case's "opened"
    entry names the agent who completed it (`data["assisted_by"]`). The same idempotency key
    again returns the first case; nothing is stored unless everything is.
    """
    require_aware(now)
    require(by, "case.create")
    require(by, "contact.log")
    if not idempotency_key:
        raise InvalidInput("idempotency_key", "required", "Each form journey needs its key")
    existing = Case.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if channel not in ASSISTED_CHANNELS:
        raise InvalidInput("channel", "invalid", "Choose how the customer contacted us")
    if customer.erased_at is not None or customer.merged_into_id is not None:
        raise InvalidInput("customer", "not_live", "That customer record is no longer in use")
    chosen = find_assisted_form(service_code, form_code)
    service, form = chosen.service, chosen.form
    unknown = unknown_answers(form, answers)
    if unknown:
        raise InvalidInput(unknown[0], "unknown", f"{unknown[0]!r} is not a question on this form")
    missing = missing_answer(form, answers, {})
    if missing is not None:
        raise InvalidInput(missing.name, "required",
                           f"Answer the question: {missing.label.get()}")
    assisted = completed_with_customer_by(by)
    with transaction.atomic():
        contact = log_contact(
            channel=channel, customer=customer, received_at=now, service_code=service.code,
            summary=f"{form.name.get('en')}: {assisted}", handled_by=by, now=now,
            idempotency_key=f"{idempotency_key}:contact",
        )
        case = open_case(
            case_type=form.case_type or service.case_type,
            service_code=service.code,
            customer=customer,
            contact=contact,
            title=form.name.get("en"),
            description=_answers_text(form, answers),
            received_at=now,
            channel=channel,
            by=by,
            now=now,
            location=_location_of(form, answers),
            idempotency_key=idempotency_key,
            form_answers={"form": form.code, **{f.name: answers[f.name]
                                                for f in form.fields if f.name in answers}},
            # The opening says who completed the form with the customer, and how they came.
            opened_data={"assisted_by": by.pk, "assisted_channel": channel, "form": form.code},
        )
        record_change(actor=by, action="case.assisted_form", object_type="case",
                      object_id=case.pk, summary=f"{assisted}: {form.name.get('en')}",
                      data={"after": {"customer_id": customer.pk, "channel": channel,
                                      "form": form.code}}, at=now)
    return case


def _location_of(form: OnlineForm, answers: Mapping[str, Any]) -> CaseLocation | None:
    for kind in ("location", "address"):
        for field in form.fields:
            value = answers.get(field.name)
            if field.type != kind or not value:
                continue
            if kind == "location":
                return CaseLocation(latitude=value.get("latitude") or None,
                                    longitude=value.get("longitude") or None,
                                    address=str(value.get("description") or ""))
            return CaseLocation(address=answer_text(field, value).replace("\n", ", "),
                                uprn=int(value["uprn"]) if value.get("uprn") else None)
    return None


def _answers_text(form: OnlineForm, answers: Mapping[str, Any]) -> str:
    return "\n\n".join(f"{field.label.get('en')}\n{answer_text(field, answers[field.name])}"
                       for field in form.fields if answers.get(field.name))


# ------------------------------------------------------------------- My Account invites


@dataclass(frozen=True)
class InvitationState:
    email: str  # the customer's main email address; "" when none is recorded
    has_account: bool  # linked to a My Account, or the address already has one
    invited_at: datetime | None

    @property
    def can_invite(self) -> bool:
        return bool(self.email) and not self.has_account and self.invited_at is None


def my_account_invitation(customer: Customer) -> InvitationState:
    """Whether staff can offer this customer My Account, and whether they were invited."""
    emails = sorted(customer.emails.all(), key=lambda e: not e.is_primary)
    email = emails[0].address if emails else ""
    has_account = ResidentAccount.objects.filter(customer_id=customer.pk).exists() or (
        bool(email) and User.objects.filter(email__iexact=email).exists())
    invited = (CustomerEvent.objects.filter(customer=customer, action=INVITED_ACTION,
                                            data__after__email=email).order_by("at").first()
               if email else None)
    return InvitationState(email, has_account, invited.at if invited else None)


def invitation_token(*, email: str, now: datetime) -> str:
    """A signed token naming the email address the register page fills in."""
    return signing.dumps({"e": email, "t": int(now.timestamp())}, salt=_INVITATION_SALT)


def invited_email(token: str) -> str:
    """The email address an invitation link names, or "" if the link is not ours or too old."""
    try:
        claims = signing.loads(token, salt=_INVITATION_SALT, max_age=INVITATION_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return ""
    return str(claims.get("e") or "") if isinstance(claims, dict) else ""


def invite_customer_to_my_account(
    *,
    customer: Customer,
    sign_up_url: Callable[[str], str],
    by: User,
    now: datetime,
) -> InvitationState:
    """Email the customer a link to set up My Account with their address filled in, once.

    `sign_up_url(token)` makes the link. Only a customer with an email and no account is
    invited; a second invitation to the same address sends nothing. The account, once made,
    is not linked to this record: staff do that after checking identity.
    """
    require_aware(now)
    require(by, "contact.log")
    state = my_account_invitation(customer)
    if not state.email:
        raise InvalidInput("email", "required", "There is no email address for this customer")
    if state.has_account:
        raise InvalidInput("email", "has_account",
                           "This email address already has a My Account")
    if state.invited_at is not None:
        return state
    with transaction.atomic():
        queue_message(
            event="account_invitation",
            recipient=Recipient(name=customer.display_name, email=state.email,
                                preferred_channel="email",
                                language=customer.preferred_language or "en"),
            data={"sign_up_url": sign_up_url(invitation_token(email=state.email, now=now))},
            idempotency_key=f"account-invitation:{customer.pk}:{state.email}",
            customer_ref=customer.pk,
            now=now,
        )
        record_customer_change(
            customer, action=INVITED_ACTION, by=by, now=now,
            summary=f"Invited to set up My Account ({state.email})",
            data={"after": {"email": state.email}},
        )
    return InvitationState(state.email, False, now)
