"""Residents looking after their own customer record through My Account.

The actions here are the resident's own (`account` is the signed-in resident, who is also
the `by` of every event): name and phone, addresses, how we contact them, alternative
formats, consent to share details between services, topic subscriptions. Each records a
CustomerEvent and an audit change in the same transaction, like the staff actions in
`customers.actions` (whose validation they reuse).

An account reaches a customer record in exactly two ways, never by matching an email
address or a name: confirming the account's email creates a new record
(`confirm_account_email`), or staff link the account to an existing record after checking
the person's identity (`link_account_to_customer`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F

from frontdoor.accounts.actions import confirm_resident_email
from frontdoor.accounts.models import ResidentAccount, Role, User
from frontdoor.accounts.permissions import require
from frontdoor.accounts.queries import resident_account_of
from frontdoor.audit.actions import record_change
from frontdoor.core.errors import Conflict, InvalidInput, NotFound
from frontdoor.core.time import require_aware
from frontdoor.council.errors import UnknownCode
from frontdoor.council.queries import current_council
from frontdoor.customers.actions import (
    check_customer_names,
    clean_address,
    clean_customer_field,
    create_customer,
    customer_search_name,
    make_sole_primary,
    record_customer_change,
    require_live_customer,
    store_address,
    touch_customer,
)
from frontdoor.customers.models import (
    Address,
    AlternativeFormat,
    Consent,
    ConsentPurpose,
    Customer,
    CustomerKind,
    EmailAddress,
    PhoneNumber,
    PreferredChannel,
)
from frontdoor.customers.queries import recipient_for_customer, surviving_customer
from frontdoor.customers.validation import parse_phone
from frontdoor.notifications.actions import create_topic, subscribe, unsubscribe
from frontdoor.notifications.models import Subscription, Topic

# The topics a resident can follow from My Account (code, English name). They are created
# the first time anyone looks (create_topic is idempotent), so a new council needs no step.
RESIDENT_TOPICS: tuple[tuple[str, str], ...] = (
    ("bin-collection-changes", "Bin collection changes"),
    ("council-meetings", "Council meetings"),
    ("flood-warnings", "Flood warnings"),
    ("consultations", "Consultations"),
)
RESIDENT_LANGUAGES = ("en", "cy")
RESIDENT_CHANNELS = (
    PreferredChannel.EMAIL, PreferredChannel.SMS, PreferredChannel.PHONE, PreferredChannel.LETTER
)
RESIDENT_FORMATS = (
    AlternativeFormat.LARGE_PRINT, AlternativeFormat.BRAILLE, AlternativeFormat.EASY_READ,
    AlternativeFormat.AUDIO,
)


# ------------------------------------------------------------------------------- reads


def customer_for_account(account: User) -> Customer | None:
    """The customer record of a confirmed, linked My Account (following any merge)."""
    resident = resident_account_of(account)
    if resident is None or resident.customer_id is None:
        return None
    customer = surviving_customer(resident.customer_id)
    return None if customer.erased_at is not None else customer


def _own_customer(account: User) -> Customer:
    require(account, "portal.use")
    customer = customer_for_account(account)
    if customer is None:
        raise NotFound("This account has no customer record yet", field="account")
    require_live_customer(customer)
    return customer


@dataclass(frozen=True)
class Profile:
    customer: Customer
    email: str
    phones: list[PhoneNumber]
    addresses: list[Address]
    share_between_services: bool
    tell_us_once_services: list[str]


def _active_consent(customer: Customer, purpose: str) -> Consent | None:
    return (
        customer.consents.filter(purpose=purpose, withdrawn_at__isnull=True)
        .order_by("-given_at", "-pk")
        .first()
    )


def my_profile(account: User) -> Profile:
    """Everything the profile page shows, from the resident's own record."""
    customer = _own_customer(account)
    tell_us_once = _active_consent(customer, ConsentPurpose.TELL_US_ONCE)
    return Profile(
        customer=customer,
        email=account.email,
        phones=list(customer.phones.order_by("-is_primary", "pk")),
        addresses=list(customer.addresses.order_by("-is_primary", "pk")),
        share_between_services=_active_consent(
            customer, ConsentPurpose.SHARE_BETWEEN_SERVICES) is not None,
        tell_us_once_services=list(tell_us_once.services) if tell_us_once else [],
    )


def resident_topics() -> list[Topic]:
    """The topics residents can follow (created on first use)."""
    return [create_topic(code=code, name=name) for code, name in RESIDENT_TOPICS]


def my_subscriptions(account: User) -> set[str]:
    """Codes of the topics the resident follows now."""
    customer = _own_customer(account)
    return set(
        Subscription.objects.filter(customer_id=customer.pk, unsubscribed_at__isnull=True)
        .values_list("topic__code", flat=True)
    )


# --------------------------------------------------------------------- linking accounts


def confirm_account_email(*, token: str, now: datetime) -> User:
    """Confirm a My Account's email from its link; the first time, make its customer record.

    The new record has the account's name and its email address, marked verified. A second
    click on the link changes nothing.
    """
    with transaction.atomic():
        user, first_time = confirm_resident_email(token=token, now=now)
        if not first_time:
            return user
        given, _, family = user.display_name.partition(" ")
        customer = create_customer(
            kind=CustomerKind.PERSON, given_name=given, family_name=family, emails=[user.email],
            preferred_channel=PreferredChannel.EMAIL, by=None, now=now,
        )
        EmailAddress.objects.filter(customer=customer, address=user.email).update(
            verified_at=now
        )
        ResidentAccount.objects.filter(user=user).update(customer_id=customer.pk,
                                                         customer_linked_at=now)
        record_customer_change(
            customer, action="account_linked",
            summary="Created from a My Account whose email address was confirmed",
            data={"after": {"account_id": user.pk, "email_verified": True}}, by=user, now=now)
    return user


def link_account_to_customer(
    *, account: User, customer: Customer, identity_check: str, by: User, now: datetime
) -> ResidentAccount:
    """Staff: after checking who the resident is, make their My Account show this record.

    `identity_check` says how identity was confirmed (it is kept). The account's email must
    be confirmed. A record the account had before (made when its email was confirmed) stays,
    for staff to merge if it is the same person.
    """
    require_aware(now)
    require(by, "customer.update")
    check = " ".join((identity_check or "").split())
    if not check:
        raise InvalidInput("identity_check", "required",
                           "Say how you checked the person's identity")
    if account.role != Role.RESIDENT or not account.is_active:
        raise InvalidInput("account", "not_resident", "Only a resident's My Account can be linked")
    require_live_customer(customer)
    with transaction.atomic():
        resident = ResidentAccount.objects.select_for_update().filter(user=account).first()
        if resident is None or not resident.is_verified:
            raise InvalidInput("account", "not_confirmed",
                               "The resident must confirm their email address first")
        if resident.customer_id == customer.pk:
            return resident
        if ResidentAccount.objects.filter(customer_id=customer.pk).exclude(pk=resident.pk).exists():
            raise Conflict("That customer is already linked to another My Account",
                           field="customer")
        before = resident.customer_id
        resident.customer_id = customer.pk
        resident.customer_linked_at = now
        resident.customer_linked_by = by
        resident.identity_check = check[:200]
        resident.save(update_fields=["customer_id", "customer_linked_at", "customer_linked_by",
                                     "identity_check"])
        record_customer_change(customer, action="account_linked",
                               summary=f"Linked to a My Account after checking identity: {check}",
                               data={"before": {"customer_id": before},
                                     "after": {"account_id": account.pk, "identity_check": check}},
                               by=by, now=now)
        record_change(actor=by, action="user.customer_linked", object_type="user",
                      object_id=account.pk, summary=f"My Account linked to customer {customer.pk}",
                      data={"before": {"customer_id": before},
                            "after": {"customer_id": customer.pk, "identity_check": check}},
                      at=now)
    return resident


# ----------------------------------------------------------------- the resident's changes


def update_my_details(
    *, account: User, given_name: str, family_name: str, phone: str, now: datetime
) -> Customer:
    """Change my name and, if given, my main phone number."""
    require_aware(now)
    customer = _own_customer(account)
    names = {
        "given_name": clean_customer_field("given_name", given_name, now=now),
        "family_name": clean_customer_field("family_name", family_name, now=now),
    }
    if not names["given_name"]:
        raise InvalidInput("given_name", "required", "Enter your first name")
    if not names["family_name"]:
        raise InvalidInput("family_name", "required", "Enter your last name")
    check_customer_names(customer.kind, names)
    parsed = parse_phone(phone, field="phone") if (phone or "").strip() else None
    with transaction.atomic():
        current = Customer.objects.select_for_update().get(pk=customer.pk)
        changed = {n: v for n, v in names.items() if getattr(current, n) != v}
        if changed:
            Customer.objects.filter(pk=current.pk).update(
                **changed, search_name=customer_search_name({**current.__dict__, **changed}),
                version=F("version") + 1, updated_at=now,
            )
            record_customer_change(
                current, action="updated", summary=f"Changed {', '.join(sorted(changed))}",
                data={"before": {n: getattr(current, n) for n in changed}, "after": changed},
                by=account, now=now)
        if parsed is not None:
            e164, kind = parsed
            row = current.phones.filter(e164=e164).first()
            if row is None or not row.is_primary:
                if row is None:
                    row = PhoneNumber.objects.create(customer=current, e164=e164, kind=kind,
                                                     is_primary=True)
                else:
                    PhoneNumber.objects.filter(pk=row.pk).update(is_primary=True)
                make_sole_primary(PhoneNumber, current, row.pk)
                touch_customer(current, now)
                record_customer_change(
                    current, action="phone_added", summary=f"Main {kind} number changed",
                    data={"after": {"phone_id": row.pk, "e164": e164, "is_primary": True}},
                    by=account, now=now)
    customer.refresh_from_db()
    return customer


def add_my_address(
    *, account: User, line1: str, line2: str, town: str, postcode: str, now: datetime
) -> Address:
    """Record where I live now (it becomes my main address; the old ones stay on record).

    Passing the change on to other services ("tell us once") is done one level up, by
    `cases.portal_access.change_my_address`, which calls this.
    """
    require_aware(now)
    customer = _own_customer(account)
    clean = clean_address({"line1": line1, "line2": line2, "town": town, "postcode": postcode})
    with transaction.atomic():
        row = store_address(customer, clean, is_primary=True)
        make_sole_primary(Address, customer, row.pk)
        touch_customer(customer, now)
        record_customer_change(
            customer, action="address_added",
            summary=f"Moved to an address in {clean.postcode} (main address)",
            data={"after": {"address_id": row.pk, **clean.__dict__, "is_primary": True}},
            by=account, now=now)
    return row


def set_my_preferences(
    *,
    account: User,
    preferred_channel: str,
    preferred_language: str,
    alternative_formats: Sequence[str],
    now: datetime,
) -> Customer:
    """How we contact me, in which language, and the formats I need (large print, Braille…)."""
    require_aware(now)
    customer = _own_customer(account)
    if preferred_channel not in RESIDENT_CHANNELS:
        raise InvalidInput("preferred_channel", "required", "Select how we should contact you")
    if preferred_language not in RESIDENT_LANGUAGES:
        raise InvalidInput("preferred_language", "required", "Select a language")
    formats = [f for f in dict.fromkeys(alternative_formats)]
    unknown = [f for f in formats if f not in RESIDENT_FORMATS]
    if unknown:
        raise InvalidInput("alternative_formats", "invalid", "Select formats from the list")
    changes = {"preferred_channel": preferred_channel, "preferred_language": preferred_language,
               "alternative_formats": formats}
    with transaction.atomic():
        current = Customer.objects.select_for_update().get(pk=customer.pk)
        changed = {n: v for n, v in changes.items() if getattr(current, n) != v}
        if changed:
            Customer.objects.filter(pk=current.pk).update(
                **changed, version=F("version") + 1, updated_at=now
            )
            record_customer_change(
                current, action="updated",
                summary=f"Changed {', '.join(sorted(changed))} (by the resident)",
                data={"before": {n: getattr(current, n) for n in changed}, "after": changed},
                by=account, now=now)
    customer.refresh_from_db()
    return customer


def _known_services(codes: Sequence[str]) -> list[str]:
    council = current_council()
    cleaned = list(dict.fromkeys(codes))
    for code in cleaned:
        try:
            council.service(code)
        except UnknownCode:
            raise InvalidInput("tell_us_once", "invalid",
                               "Select services from the list") from None
    return cleaned


def set_my_sharing(
    *, account: User, share_between_services: bool, tell_us_once_services: Sequence[str],
    now: datetime,
) -> Profile:
    """My consents: share my details between council services; tell these services when I move.

    A changed choice withdraws the consent given before and records the new one, so the
    history shows what I agreed to and when.
    """
    require_aware(now)
    customer = _own_customer(account)
    services = _known_services(tell_us_once_services)
    with transaction.atomic():
        Customer.objects.select_for_update().get(pk=customer.pk)
        share = _active_consent(customer, ConsentPurpose.SHARE_BETWEEN_SERVICES)
        if share_between_services and share is None:
            _give_consent(customer, ConsentPurpose.SHARE_BETWEEN_SERVICES, [], account, now)
        elif not share_between_services and share is not None:
            _withdraw(share, account, now)
        once = _active_consent(customer, ConsentPurpose.TELL_US_ONCE)
        if once is not None and sorted(once.services) != sorted(services):
            _withdraw(once, account, now)
            once = None
        if services and once is None:
            _give_consent(customer, ConsentPurpose.TELL_US_ONCE, services, account, now)
    return my_profile(account)


def _give_consent(customer: Customer, purpose: str, services: list[str], by: User,
                  now: datetime) -> Consent:
    consent = Consent.objects.create(customer=customer, purpose=purpose, services=services,
                                     given_at=now, recorded_by=by)
    touch_customer(customer, now)
    record_customer_change(
        customer, action="consent_recorded",
        summary=f"Consent given by the resident: {purpose}",
        data={"after": {"consent_id": consent.pk, "purpose": purpose, "services": services,
                        "lawful_basis": consent.lawful_basis}},
        by=by, now=now)
    return consent


def _withdraw(consent: Consent, by: User, now: datetime) -> None:
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=now)
    touch_customer(consent.customer, now)
    record_customer_change(consent.customer, action="consent_withdrawn",
                           summary=f"Consent withdrawn by the resident: {consent.purpose}",
                           data={"consent_id": consent.pk, "before": {"withdrawn_at": None},
                                 "after": {"withdrawn_at": now}},
                           by=by, now=now)


def tell_us_once_services(customer: Customer) -> list[str]:
    """Service codes the customer asked us to tell when they move (none: no consent)."""
    consent = _active_consent(customer, ConsentPurpose.TELL_US_ONCE)
    return list(consent.services) if consent else []


def set_my_subscriptions(*, account: User, topic_codes: Sequence[str], now: datetime) -> set[str]:
    """Follow exactly these topics (by email); returns the codes followed now."""
    require_aware(now)
    customer = _own_customer(account)
    known = {topic.code for topic in resident_topics()}
    wanted = set(topic_codes)
    if wanted - known:
        raise InvalidInput("topics", "invalid", "Select topics from the list")
    with transaction.atomic():
        active = {
            s.topic.code: s
            for s in Subscription.objects.select_related("topic").filter(
                customer_id=customer.pk, unsubscribed_at__isnull=True)
        }
        added = sorted(wanted - active.keys())
        removed = sorted(active.keys() - wanted)
        if not added and not removed:
            return wanted
        recipient = recipient_for_customer(customer)
        for code in added:
            subscribe(topic_code=code, recipient=recipient, channel="email", now=now,
                      customer_ref=customer.pk)
        for code in removed:
            unsubscribe(token=active[code].unsubscribe_token, now=now)
        record_customer_change(customer, action="subscriptions_changed",
                               summary="Subscriptions changed by the resident",
                               data={"added": added, "removed": removed}, by=account, now=now)
    return wanted
