"""First contact: log what a customer asked and what came of it, in one step.

An agent on the phone (or at the desk, or opening the post) records the contact and its
outcome together: resolved there and then, signposted to another organisation, handed off
to a team as a case, or a callback. `record_first_contact` does both in one transaction, so
a contact is never left logged without an outcome because the second half failed. It lives
in cases because cases sit above contacts and may call both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.db import transaction
from django.db.models import QuerySet

from frontdoor.accounts.models import User
from frontdoor.accounts.permissions import require
from frontdoor.cases.actions import CASEWORK_ROLES, hand_off_contact, request_callback
from frontdoor.cases.models import Case, CaseType
from frontdoor.catalogue.models import KnowledgeArticle, SignpostOrganisation
from frontdoor.catalogue.queries import active_signposts, articles_for_service
from frontdoor.contacts.actions import (
    log_contact,
    require_known_service,
    resolve_at_first_contact,
    signpost_contact,
)
from frontdoor.contacts.models import Contact
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.customers.queries import recipient_for_customer
from frontdoor.notifications.actions import queue_message
from frontdoor.notifications.errors import NoChannel
from frontdoor.notifications.models import Message

if TYPE_CHECKING:
    from frontdoor.customers.models import Customer

OutcomeChoice = Literal["resolved", "signposted", "handed_off", "callback"]
OUTCOMES: tuple[str, ...] = ("resolved", "signposted", "handed_off", "callback")
SUMMARY_MAX = 2000
NOTE_MAX = 4000


@dataclass(frozen=True)
class FirstContactResult:
    """The contact, and the case it became (hand-off, callback), for the agent to read out."""

    contact: Contact
    case: Case | None = None
    signposted_to: dict[str, Any] | None = None
    customer_sent_details: bool = False

    @property
    def outcome(self) -> str:
        if self.case is not None:
            return "callback" if self.case.case_type == CaseType.CALLBACK else "handed_off"
        return {"resolved_first_contact": "resolved", "signposted": "signposted"}.get(
            self.contact.outcome, self.contact.outcome
        )


def record_first_contact(
    *,
    channel: str,
    received_at: datetime,
    customer: Customer | None,
    service_code: str | None,
    summary: str,
    outcome: OutcomeChoice | str,
    note: str,
    knowledge_article_id: int | None = None,
    signpost_org: SignpostOrganisation | None = None,
    send_signpost: bool = False,
    case_type: str | None = None,
    owner: User | None = None,
    by: User,
    now: datetime,
    idempotency_key: str | None = None,
) -> FirstContactResult:
    """Log the contact and record its outcome together; all of it or nothing.

    A retry with the same idempotency key (a double-clicked button) returns the first result.
    """
    require(by, "contact.log")
    if idempotency_key:
        existing = Contact.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return result_of(existing)
    _check(outcome=outcome, summary=summary, note=note, service_code=service_code,
           knowledge_article_id=knowledge_article_id, signpost_org=signpost_org,
           send_signpost=send_signpost, customer=customer, case_type=case_type)
    note = note.strip()
    with transaction.atomic():
        contact = log_contact(
            channel=channel,
            customer=customer,
            received_at=received_at,
            service_code=service_code or None,
            summary=summary,
            handled_by=by,
            now=now,
            idempotency_key=idempotency_key,
        )
        if outcome == "resolved":
            resolve_at_first_contact(contact=contact, outcome_note=note,
                                     knowledge_article_id=knowledge_article_id, by=by, now=now)
            return FirstContactResult(contact=contact)
        if outcome == "signposted":
            assert signpost_org is not None  # _check made sure
            signpost_contact(contact=contact, organisation=signpost_org.as_signpost(),
                             by=by, now=now)
            sent = False
            if send_signpost and customer is not None:
                sent = _send_signpost(contact=contact, customer=customer,
                                      organisation=signpost_org, now=now)
            return FirstContactResult(contact=contact, signposted_to=contact.signposted_to,
                                      customer_sent_details=sent)
        if outcome == "handed_off":
            assert service_code  # _check made sure
            service = require_known_service(service_code)
            case = hand_off_contact(contact=contact, case_type=case_type or service.case_type,
                                    service_code=service_code, note=note, by=by, now=now,
                                    owner=owner)
            return FirstContactResult(contact=contact, case=case)
        case = request_callback(contact=contact, note=note, by=by, now=now)
        return FirstContactResult(contact=contact, case=case)


def first_contact_result(*, user: User, contact_id: int) -> FirstContactResult:
    """What came of a contact the user logged (for its result page); NotFound otherwise.

    Only the person who took the contact sees its result page: it is what they read out.
    """
    contact = (
        Contact.objects.select_related("customer")
        .filter(pk=contact_id, handled_by_id=user.pk)
        .first()
    )
    if contact is None:
        raise NotFound(f"There is no contact {contact_id}", field="contact_id")
    return result_of(contact)


def result_of(contact: Contact) -> FirstContactResult:
    link = (contact.case_links.select_related("case", "case__owner")
            .order_by("pk").first())
    return FirstContactResult(
        contact=contact,
        case=link.case if link is not None else None,
        signposted_to=contact.signposted_to,
        customer_sent_details=bool(
            contact.customer_id is not None and contact.signposted_to
            and _signpost_key(contact) in _queued_keys(contact)
        ),
    )


def possible_owners(service_code: str) -> QuerySet[User]:
    """People in the service's team who can own its cases (for an optional named owner)."""
    team = require_known_service(service_code).team
    return User.objects.filter(
        is_active=True, role__in=CASEWORK_ROLES, team_memberships__team_code=team
    ).distinct().order_by("display_name", "email")


def can_send_to(customer: Customer | None) -> bool:
    """Whether the customer has an email address or mobile number we could send details to."""
    if customer is None:
        return False
    recipient = recipient_for_customer(customer)
    return bool(recipient.email or recipient.phone_e164)


@dataclass(frozen=True)
class OutcomeChoices:
    """What the agent can pick from on the outcome step for this service and customer."""

    resolvable: bool
    articles: list[KnowledgeArticle]
    signposts: list[SignpostOrganisation]  # the ones related to the service first
    suggested_signpost_ids: frozenset[int]
    owners: list[User]
    can_send: bool


def outcome_choices(*, service_code: str, customer: Customer | None) -> OutcomeChoices:
    """Articles for the service, the signposting directory, the team's people, reachability."""
    service = require_known_service(service_code)
    organisations = active_signposts()
    suggested = [o for o in organisations if service_code in (o.service_codes or [])]
    others = [o for o in organisations if o not in suggested]
    return OutcomeChoices(
        resolvable=bool(service.first_contact_resolvable),
        articles=articles_for_service(service_code),
        signposts=suggested + others,
        suggested_signpost_ids=frozenset(o.pk for o in suggested),
        owners=list(possible_owners(service_code)),
        can_send=can_send_to(customer),
    )


# ------------------------------------------------------------------------------ helpers


def _check(
    *,
    outcome: str,
    summary: str,
    note: str,
    service_code: str | None,
    knowledge_article_id: int | None,
    signpost_org: SignpostOrganisation | None,
    send_signpost: bool,
    customer: Customer | None,
    case_type: str | None,
) -> None:
    """Refuse bad input before anything is written, naming the field to fix."""
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome", "required", "Choose what happened")
    if not (summary or "").strip():
        raise InvalidInput("summary", "required", "Say what the customer asked about")
    if len(summary.strip()) > SUMMARY_MAX:
        raise InvalidInput("summary", "too_long",
                           f"What they asked about must be {SUMMARY_MAX} characters or fewer")
    if len((note or "").strip()) > NOTE_MAX:
        raise InvalidInput(f"{outcome}_note", "too_long",
                           f"The note must be {NOTE_MAX} characters or fewer")
    if outcome == "resolved":
        if not (note or "").strip():
            raise InvalidInput("resolved_note", "required", "Say how you helped the customer")
        if knowledge_article_id is not None and not KnowledgeArticle.objects.filter(
            pk=knowledge_article_id, published=True
        ).exists():
            raise InvalidInput("knowledge_article", "unknown",
                               "Choose an article from the list, or none")
    elif outcome == "signposted":
        if signpost_org is None:
            raise InvalidInput("signpost", "required",
                               "Choose the organisation you sent the customer to")
        if send_signpost and customer is None:
            raise InvalidInput("send_signpost", "no_customer",
                               "We can only send the details to a customer we know: find "
                               "the customer first, or untick the box")
        if send_signpost and not can_send_to(customer):
            raise InvalidInput("send_signpost", "no_channel",
                               "The customer has no email address or mobile number: give "
                               "them the details now, or untick the box")
    elif outcome == "handed_off":
        if not service_code:
            raise InvalidInput("service_code", "required",
                               "Choose the service, so we know which team to hand it to")
        if case_type and case_type not in CaseType.values:
            raise InvalidInput("case_type", "invalid", "Choose a type of request from the list")
        if not (note or "").strip():
            raise InvalidInput("handed_off_note", "required",
                               "Write a note for the team, so the customer need not repeat it")
    elif outcome == "callback" and not (note or "").strip():
        raise InvalidInput("callback_note", "required",
                           "Say what the customer wants to be called back about")


def _signpost_key(contact: Contact) -> str:
    return f"signposted:contact:{contact.pk}"


def _queued_keys(contact: Contact) -> set[str]:
    return set(Message.objects.filter(idempotency_key=_signpost_key(contact))
               .values_list("idempotency_key", flat=True))


def _send_signpost(*, contact: Contact, customer: Customer,
                   organisation: SignpostOrganisation, now: datetime) -> bool:
    try:
        queue_message(
            event="signposted",
            recipient=recipient_for_customer(customer),
            data={
                "organisation_name": organisation.name,
                "organisation_phone": organisation.phone or "see their website",
                "organisation_url": organisation.url or organisation.email or "",
                "summary": organisation.help_with,
            },
            idempotency_key=_signpost_key(contact),
            customer_ref=customer.pk,
            now=now,
        )
    except NoChannel:
        raise InvalidInput(
            "send_signpost", "no_channel",
            "The customer has no email address or mobile number: give them the details now, "
            "or untick the box",
        ) from None
    return True
