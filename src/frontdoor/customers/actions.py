"""Customers: functions that change customers. Each records a CustomerEvent and an audit change
in the same transaction, and validates everything before it writes anything.

Merging and other contexts: `merge_customers` moves only what the customers context owns.
Contacts and cases that point at the merged customer are re-pointed by those contexts, called
explicitly by whoever orchestrates the merge (no signals), inside the same transaction:

    with transaction.atomic():
        merge = merge_customers(keep=keep, merge=dup, by=user, now=now)
        contacts.actions.repoint_contacts(from_customer=dup, to_customer=keep, by=user, now=now)
        cases.actions.repoint_cases(from_customer=dup, to_customer=keep, by=user, now=now)

`merge.audit_entry_id` is the entry those contexts may cite so `unmerge_customers` can be
reversed the same way. Anything that still holds the merged id can call
`queries.surviving_customer` to follow the tombstone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Model

from frontdoor.accounts.models import User
from frontdoor.accounts.permissions import require
from frontdoor.audit.actions import record_change
from frontdoor.audit.queries import latest_change
from frontdoor.core.errors import Conflict, InvalidInput, NotFound
from frontdoor.core.time import london_now_date, require_aware
from frontdoor.customers.bulk import remember_name_words
from frontdoor.customers.models import (
    Address,
    AlternativeFormat,
    Consent,
    ConsentPurpose,
    Customer,
    CustomerEvent,
    CustomerKind,
    EmailAddress,
    LawfulBasis,
    PhoneNumber,
    PreferredChannel,
    Representative,
    RepresentativeRole,
    VulnerabilityFlag,
    WarningCategory,
    WarningMarker,
)
from frontdoor.customers.validation import (
    check_choices,
    check_reference_number,
    normalise_email,
    normalise_postcode,
    parse_phone,
    search_name_for,
    ward_for_postcode,
)

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_NAME_FIELDS = {"title": 30, "given_name": 100, "family_name": 100, "organisation_name": 200}
UPDATABLE_FIELDS = frozenset(
    {
        *_NAME_FIELDS,
        "date_of_birth",
        "preferred_channel",
        "preferred_language",
        "alternative_formats",
        "needs",
        "vulnerability_flags",
    }
)
# What a merge moves from the merged customer to the one kept (related name -> model).
_MOVABLE: dict[str, type[Model]] = {
    "emails": EmailAddress,
    "phones": PhoneNumber,
    "addresses": Address,
    "consents": Consent,
    "warning_markers": WarningMarker,
    "representatives": Representative,
}
_HAS_PRIMARY = ("emails", "phones", "addresses")


# ----------------------------------------------------------------------------- helpers


def _authorise(by: User | None, action: str) -> None:
    # by=None is the system itself (imports, retention jobs); interfaces always pass the user.
    if by is not None:
        require(by, action)


def require_live_customer(customer: Customer) -> None:
    if customer.erased_at is not None:
        raise Conflict("This customer's personal data was erased; it cannot be changed")
    if customer.merged_into_id is not None:
        raise Conflict(
            f"This record was merged into customer {customer.merged_into_id}; change that one"
        )


def record_customer_change(
    customer: Customer,
    *,
    action: str,
    summary: str,
    data: dict[str, Any] | None = None,
    by: User | None,
    now: datetime,
) -> int:
    """The customer's history event and the audit change for one action; the audit entry id."""
    CustomerEvent.objects.create(
        customer=customer, at=now, by=by, action=action, summary=summary, data=data or {}
    )
    entry = record_change(
        actor=by,
        action=f"customer.{action}",
        object_type="customer",
        object_id=customer.pk,
        summary=summary,
        data=data,
        at=now,
    )
    return entry.pk


def touch_customer(customer: Customer, now: datetime) -> None:
    """Every change moves the version on, so a form opened before it gets a Conflict."""
    Customer.objects.filter(pk=customer.pk).update(version=F("version") + 1, updated_at=now)
    customer.refresh_from_db(fields=["version", "updated_at"])


def _text(value: Any, *, field: str, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(field, "invalid", "Enter text")
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInput(field, "too_long", f"Use {max_length} characters or fewer")
    return value


def _date_of_birth(value: Any, *, now: datetime) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise InvalidInput("date_of_birth", "invalid", "Enter a date like 1970-03-31") from None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput("date_of_birth", "invalid", "Enter a date like 1970-03-31")
    if value > london_now_date(now):
        raise InvalidInput("date_of_birth", "in_future", "Date of birth must be in the past")
    return value


def clean_customer_field(name: str, value: Any, *, now: datetime) -> Any:
    if name in _NAME_FIELDS:
        return _text(value, field=name, max_length=_NAME_FIELDS[name])
    if name == "date_of_birth":
        return _date_of_birth(value, now=now)
    if name == "preferred_channel":
        if value not in PreferredChannel.values:
            raise InvalidInput(
                name, "invalid", f"Choose one of: {', '.join(PreferredChannel.values)}"
            )
        return value
    if name == "preferred_language":
        if not isinstance(value, str) or not _LANGUAGE.match(value):
            raise InvalidInput(name, "invalid", "Give a language code such as en, cy or pl")
        return value
    if name == "alternative_formats":
        return check_choices(value, allowed=AlternativeFormat.values, field=name)
    if name == "vulnerability_flags":
        return check_choices(value, allowed=VulnerabilityFlag.values, field=name)
    if name == "needs":
        return _text(value, field=name, max_length=4000)
    raise InvalidInput(name, "unknown_field", f"{name!r} cannot be changed here")


def check_customer_names(kind: str, fields: Mapping[str, Any]) -> None:
    if kind == CustomerKind.ORGANISATION:
        if not fields.get("organisation_name"):
            raise InvalidInput("organisation_name", "required", "Enter the organisation's name")
    elif not (fields.get("given_name") or fields.get("family_name")):
        raise InvalidInput("family_name", "required", "Enter the customer's name")


@dataclass(frozen=True)
class CleanAddress:
    line1: str
    line2: str
    town: str
    postcode: str
    uprn: str
    usrn: str


def clean_address(data: Mapping[str, Any], *, prefix: str = "") -> CleanAddress:
    line1 = _text(data.get("line1"), field=f"{prefix}line1", max_length=200)
    if not line1:
        raise InvalidInput(f"{prefix}line1", "required", "Enter the first line of the address")
    unknown = set(data) - {"line1", "line2", "town", "postcode", "uprn", "usrn"}
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidInput(f"{prefix}{name}", "unknown_field", f"{name!r} is not in an address")
    return CleanAddress(
        line1=line1,
        line2=_text(data.get("line2"), field=f"{prefix}line2", max_length=200),
        town=_text(data.get("town"), field=f"{prefix}town", max_length=100),
        postcode=normalise_postcode(str(data.get("postcode") or ""), field=f"{prefix}postcode"),
        uprn=check_reference_number(
            str(data.get("uprn") or ""), field=f"{prefix}uprn", max_digits=12, label="UPRN"
        ),
        usrn=check_reference_number(
            str(data.get("usrn") or ""), field=f"{prefix}usrn", max_digits=8, label="USRN"
        ),
    )


def store_address(customer: Customer, address: CleanAddress, *, is_primary: bool) -> Address:
    ward_code = ward_for_postcode(address.postcode)
    row = Address.objects.create(
        customer=customer,
        line1=address.line1,
        line2=address.line2,
        town=address.town,
        postcode=address.postcode,
        uprn=address.uprn,
        usrn=address.usrn,
        ward_code=ward_code,
        is_primary=is_primary,
    )
    if is_primary and ward_code != customer.ward_code:
        customer.ward_code = ward_code
        customer.save(update_fields=["ward_code"])
    return row


def customer_search_name(fields: Mapping[str, Any]) -> str:
    return search_name_for(
        fields.get("given_name", ""),
        fields.get("family_name", ""),
        fields.get("organisation_name", ""),
    )


def make_sole_primary(model: type[Model], customer: Customer, keep_pk: int) -> None:
    model._default_manager.filter(customer=customer, is_primary=True).exclude(pk=keep_pk).update(
        is_primary=False
    )


# ---------------------------------------------------------------------------- creating


def create_customer(
    *,
    kind: str,
    title: str = "",
    given_name: str = "",
    family_name: str = "",
    organisation_name: str = "",
    date_of_birth: date | str | None = None,
    preferred_channel: str = PreferredChannel.NONE,
    preferred_language: str = "en",
    alternative_formats: Sequence[str] = (),
    needs: str = "",
    vulnerability_flags: Sequence[str] = (),
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    addresses: Sequence[Mapping[str, Any]] = (),
    by: User | None,
    now: datetime,
) -> Customer:
    """Create a customer with their contact details (the first of each is primary), or nothing."""
    require_aware(now)
    _authorise(by, "customer.create")
    if kind not in CustomerKind.values:
        raise InvalidInput("kind", "invalid", "Choose person or organisation")
    raw = {
        "title": title,
        "given_name": given_name,
        "family_name": family_name,
        "organisation_name": organisation_name,
        "date_of_birth": date_of_birth,
        "preferred_channel": preferred_channel,
        "preferred_language": preferred_language,
        "alternative_formats": list(alternative_formats),
        "needs": needs,
        "vulnerability_flags": list(vulnerability_flags),
    }
    fields = {name: clean_customer_field(name, value, now=now) for name, value in raw.items()}
    check_customer_names(kind, fields)
    clean_emails = list(
        dict.fromkeys(normalise_email(e, field=f"emails.{i}") for i, e in enumerate(emails))
    )
    clean_phones = list(
        dict.fromkeys(parse_phone(p, field=f"phones.{i}") for i, p in enumerate(phones))
    )
    clean_addresses = [clean_address(a, prefix=f"addresses.{i}.") for i, a in enumerate(addresses)]

    with transaction.atomic():
        customer = Customer.objects.create(
            kind=kind,
            created_at=now,
            updated_at=now,
            search_name=customer_search_name(fields),
            **fields,
        )
        remember_name_words(customer.search_name.split())
        for i, address in enumerate(clean_emails):
            EmailAddress.objects.create(customer=customer, address=address, is_primary=i == 0)
        for i, (e164, phone_kind) in enumerate(clean_phones):
            PhoneNumber.objects.create(
                customer=customer, e164=e164, kind=phone_kind, is_primary=i == 0
            )
        for i, clean in enumerate(clean_addresses):
            store_address(customer, clean, is_primary=i == 0)
        record_customer_change(
            customer,
            action="created",
            summary=f"Created {kind} record",
            data={
                               "after": {
                                   **fields,
                                   "kind": kind,
                                   "emails": clean_emails,
                                   "phones": [p for p, _ in clean_phones],
                                   "addresses": [a.__dict__ for a in clean_addresses],
                               }
            },
            by=by,
            now=now,
        )
    return customer


def update_customer(
    *,
    customer: Customer,
    changes: Mapping[str, Any],
    expected_version: int,
    by: User | None,
    now: datetime,
) -> Customer:
    """Change the customer's own fields if nobody changed the record since `expected_version`."""
    require_aware(now)
    _authorise(by, "customer.update")
    cleaned = {name: clean_customer_field(name, value, now=now) for name, value in changes.items()}
    with transaction.atomic():
        current = Customer.objects.select_for_update().get(pk=customer.pk)
        if current.version != expected_version:
            raise Conflict(
                "Someone else changed this customer's record after you opened it "
                f"(version {expected_version}, now {current.version}). "
                "Reload it to see their changes, then make yours again.",
                field="version",
            )
        require_live_customer(current)
        before = {name: getattr(current, name) for name in cleaned}
        after = {name: value for name, value in cleaned.items() if before[name] != value}
        if not after:
            return current
        for name, value in after.items():
            setattr(current, name, value)
        check_customer_names(current.kind, {n: getattr(current, n) for n in _NAME_FIELDS})
        renamed = (
            {"search_name": customer_search_name(current.__dict__)}
            if after.keys() & _NAME_FIELDS else {}
        )
        Customer.objects.filter(pk=current.pk).update(
            **after, **renamed, version=F("version") + 1, updated_at=now
        )
        remember_name_words(renamed.get("search_name", "").split())
        current.refresh_from_db()
        record_customer_change(
            current,
            action="updated",
            summary=f"Changed {', '.join(sorted(after))}",
            data={"before": {n: before[n] for n in after}, "after": after},
            by=by,
            now=now,
        )
    return current


def add_email(
    *, customer: Customer, address: str, make_primary: bool = False, by: User | None, now: datetime
) -> EmailAddress:
    """Add an email address (the customer's first one becomes primary)."""
    require_aware(now)
    _authorise(by, "customer.update")
    clean = normalise_email(address, field="address")
    require_live_customer(customer)
    with transaction.atomic():
        if customer.emails.filter(address=clean).exists():
            raise Conflict("The customer already has that email address", field="address")
        is_primary = make_primary or not customer.emails.exists()
        row = EmailAddress.objects.create(customer=customer, address=clean, is_primary=is_primary)
        if is_primary:
            make_sole_primary(EmailAddress, customer, row.pk)
        touch_customer(customer, now)
        record_customer_change(
            customer,
            action="email_added",
            summary="Added an email address" + (" (primary)" if is_primary else ""),
            data={"after": {"email_id": row.pk, "address": clean, "is_primary": is_primary}},
            by=by,
            now=now,
        )
    return row


def add_phone(
    *, customer: Customer, number: str, make_primary: bool = False, by: User | None, now: datetime
) -> PhoneNumber:
    """Add a phone number (validated, stored as E.164; the first one becomes primary)."""
    require_aware(now)
    _authorise(by, "customer.update")
    e164, kind = parse_phone(number, field="number")
    require_live_customer(customer)
    with transaction.atomic():
        if customer.phones.filter(e164=e164).exists():
            raise Conflict("The customer already has that phone number", field="number")
        is_primary = make_primary or not customer.phones.exists()
        row = PhoneNumber.objects.create(
            customer=customer, e164=e164, kind=kind, is_primary=is_primary
        )
        if is_primary:
            make_sole_primary(PhoneNumber, customer, row.pk)
        touch_customer(customer, now)
        record_customer_change(
            customer,
            action="phone_added",
            summary=f"Added a {kind} number" + (" (primary)" if is_primary else ""),
            data={"after": {"phone_id": row.pk, "e164": e164, "is_primary": is_primary}},
            by=by,
            now=now,
        )
    return row


def add_address(
    *,
    customer: Customer,
    line1: str,
    postcode: str,
    line2: str = "",
    town: str = "",
    uprn: str = "",
    usrn: str = "",
    make_primary: bool = False,
    by: User | None,
    now: datetime,
) -> Address:
    """Add an address (postcode normalised, ward from the council's wards where it can tell)."""
    require_aware(now)
    _authorise(by, "customer.update")
    clean = clean_address(
        {
            "line1": line1,
            "line2": line2,
            "town": town,
            "postcode": postcode,
            "uprn": uprn,
            "usrn": usrn,
        }
    )
    require_live_customer(customer)
    with transaction.atomic():
        is_primary = make_primary or not customer.addresses.exists()
        row = store_address(customer, clean, is_primary=is_primary)
        if is_primary:
            make_sole_primary(Address, customer, row.pk)
        touch_customer(customer, now)
        record_customer_change(
            customer,
            action="address_added",
            summary=f"Added an address in {clean.postcode}" + (" (primary)" if is_primary else ""),
            data={"after": {"address_id": row.pk, **clean.__dict__, "is_primary": is_primary}},
            by=by,
            now=now,
        )
    return row


def add_representative(
    *,
    customer: Customer,
    name: str,
    role: str,
    email: str = "",
    phone: str = "",
    authority_note: str = "",
    by: User | None,
    now: datetime,
) -> Representative:
    """Record someone who may act for the customer (councillor, MP, advocate, family)."""
    require_aware(now)
    _authorise(by, "customer.update")
    clean_name = _text(name, field="name", max_length=200)
    if not clean_name:
        raise InvalidInput("name", "required", "Enter the representative's name")
    if role not in RepresentativeRole.values:
        raise InvalidInput("role", "invalid", f"Choose one of: {', '.join(RepresentativeRole)}")
    clean_email = normalise_email(email) if email.strip() else ""
    clean_phone = parse_phone(phone)[0] if phone.strip() else ""
    require_live_customer(customer)
    with transaction.atomic():
        row = Representative.objects.create(
            customer=customer,
            name=clean_name,
            role=role,
            email=clean_email,
            phone=clean_phone,
            authority_note=authority_note.strip(),
        )
        touch_customer(customer, now)
        record_customer_change(
            customer,
            action="representative_added",
            summary=f"Added a representative ({role})",
            data={"after": {"representative_id": row.pk, "name": clean_name, "role": role}},
            by=by,
            now=now,
        )
    return row


# ------------------------------------------------------------------ consents and markers


def record_consent(
    *,
    customer: Customer,
    purpose: str,
    services: Sequence[str] = (),
    lawful_basis: str = LawfulBasis.CONSENT,
    by: User | None,
    now: datetime,
) -> Consent:
    """Record that the customer agreed to `purpose` (for these service codes; none = all)."""
    require_aware(now)
    _authorise(by, "customer.record_consent")
    if purpose not in ConsentPurpose.values:
        raise InvalidInput("purpose", "invalid", f"Choose one of: {', '.join(ConsentPurpose)}")
    if lawful_basis not in LawfulBasis.values:
        raise InvalidInput("lawful_basis", "invalid", f"Choose one of: {', '.join(LawfulBasis)}")
    if isinstance(services, str) or not all(isinstance(s, str) and s for s in services):
        raise InvalidInput("services", "invalid", "Give a list of service codes")
    require_live_customer(customer)
    with transaction.atomic():
        consent = Consent.objects.create(
            customer=customer,
            purpose=purpose,
            services=list(dict.fromkeys(services)),
            lawful_basis=lawful_basis,
            given_at=now,
            recorded_by=by,
        )
        touch_customer(customer, now)
        record_customer_change(
            customer,
            action="consent_recorded",
            summary=f"Consent recorded: {purpose}",
            data={
                               "after": {
                                   "consent_id": consent.pk,
                                   "purpose": purpose,
                                   "services": consent.services,
                                   "lawful_basis": lawful_basis,
                               }
            },
            by=by,
            now=now,
        )
    return consent


def withdraw_consent(*, consent: Consent, by: User | None, now: datetime) -> Consent:
    """Record that the customer withdrew this consent (the record of it stays)."""
    require_aware(now)
    _authorise(by, "customer.record_consent")
    customer = consent.customer
    require_live_customer(customer)
    if consent.withdrawn_at is not None:
        return consent
    with transaction.atomic():
        consent.withdrawn_at = now
        consent.save(update_fields=["withdrawn_at"])
        touch_customer(customer, now)
        record_customer_change(
            customer,
            action="consent_withdrawn",
            summary=f"Consent withdrawn: {consent.purpose}",
            data={
                               "consent_id": consent.pk,
                               "before": {"withdrawn_at": None},
                               "after": {"withdrawn_at": now},
            },
            by=by,
            now=now,
        )
    return consent


def add_warning_marker(
    *,
    customer: Customer,
    category: str,
    description: str,
    review_at: datetime | None = None,
    by: User | None,
    now: datetime,
) -> WarningMarker:
    """Warn staff about a risk when dealing with this customer, with a date to review it."""
    require_aware(now)
    _authorise(by, "customer.mark_warning")
    if category not in WarningCategory.values:
        raise InvalidInput("category", "invalid", f"Choose one of: {', '.join(WarningCategory)}")
    text = _text(description, field="description", max_length=4000)
    if not text:
        raise InvalidInput("description", "required", "Say what happened and what staff should do")
    if review_at is not None:
        require_aware(review_at)
        if review_at <= now:
            raise InvalidInput("review_at", "in_past", "The review date must be in the future")
    require_live_customer(customer)
    with transaction.atomic():
        marker = WarningMarker.objects.create(
            customer=customer,
            category=category,
            description=text,
            added_by=by,
            added_at=now,
            review_at=review_at,
        )
        touch_customer(customer, now)
        record_customer_change(
            customer,
            action="warning_marker_added",
            summary=f"Warning marker added: {marker.get_category_display()}",
            data={"after": {"marker_id": marker.pk, "category": category, "review_at": review_at}},
            by=by,
            now=now,
        )
    return marker


def remove_warning_marker(
    *, marker: WarningMarker, reason: str, by: User | None, now: datetime
) -> WarningMarker:
    """Take a warning marker off (it stays on record as removed, with the reason)."""
    require_aware(now)
    _authorise(by, "customer.mark_warning")
    text = _text(reason, field="reason", max_length=4000)
    if not text:
        raise InvalidInput("reason", "required", "Say why the marker is being removed")
    customer = marker.customer
    require_live_customer(customer)
    if marker.removed_at is not None:
        return marker
    with transaction.atomic():
        marker.removed_at = now
        marker.removed_by = by
        marker.removal_reason = text
        marker.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        touch_customer(customer, now)
        record_customer_change(
            customer,
            action="warning_marker_removed",
            summary=f"Warning marker removed: {marker.get_category_display()}",
            data={"marker_id": marker.pk, "reason": text},
            by=by,
            now=now,
        )
    return marker


def _live_customer(customer_id: int) -> Customer:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None or customer.erased_at is not None or customer.merged_into_id is not None:
        raise NotFound(f"There is no customer {customer_id}", field="customer_id")
    return customer


def add_warning_marker_by_id(
    *,
    customer_id: int,
    category: str,
    description: str,
    review_at: datetime | None = None,
    by: User,
    now: datetime,
) -> WarningMarker:
    """`add_warning_marker` for a live customer named by id (NotFound otherwise)."""
    _authorise(by, "customer.mark_warning")
    return add_warning_marker(
        customer=_live_customer(customer_id),
        category=category,
        description=description,
        review_at=review_at,
        by=by,
        now=now,
    )


def remove_warning_marker_by_id(
    *, customer_id: int, marker_id: int, reason: str, by: User, now: datetime
) -> WarningMarker:
    """`remove_warning_marker` for a marker of a live customer, both named by id."""
    _authorise(by, "customer.mark_warning")
    customer = _live_customer(customer_id)
    marker = WarningMarker.objects.filter(pk=marker_id, customer=customer).first()
    if marker is None:
        raise NotFound(f"Customer {customer_id} has no warning marker {marker_id}", field="marker")
    return remove_warning_marker(marker=marker, reason=reason, by=by, now=now)


# ------------------------------------------------------------------------ merge/unmerge


@dataclass(frozen=True)
class CustomerMerge:
    keep: Customer
    merged: Customer
    audit_entry_id: int  # the "customer.merged" entry on the merged (tombstone) record
    moved: dict[str, list[int]]


def merge_customers(
    *, keep: Customer, merge: Customer, by: User | None, now: datetime
) -> CustomerMerge:
    """Move `merge`'s details to `keep` and leave `merge` as a tombstone that redirects to it."""
    require_aware(now)
    _authorise(by, "customer.merge")
    if keep.pk == merge.pk:
        raise InvalidInput("merge", "same_customer", "Choose two different customers to merge")
    with transaction.atomic():
        keep = Customer.objects.select_for_update().get(pk=keep.pk)
        merge = Customer.objects.select_for_update().get(pk=merge.pk)
        require_live_customer(keep)
        require_live_customer(merge)
        moved: dict[str, list[int]] = {}
        demoted: dict[str, list[int]] = {}
        for related, model in _MOVABLE.items():
            rows = model._default_manager.filter(customer=merge)
            moved[related] = sorted(rows.values_list("pk", flat=True))
            if related in _HAS_PRIMARY and getattr(keep, related).filter(is_primary=True).exists():
                # The kept record's primary details stay primary.
                demoted[related] = sorted(rows.filter(is_primary=True).values_list("pk", flat=True))
                rows.filter(is_primary=True).update(is_primary=False)
            model._default_manager.filter(pk__in=moved[related]).update(customer=keep)
        ward_copied = not keep.ward_code and bool(merge.ward_code)
        if ward_copied:
            keep.ward_code = merge.ward_code
            keep.save(update_fields=["ward_code"])
        merge.merged_into = keep
        merge.merged_at = now
        merge.save(update_fields=["merged_into", "merged_at"])
        touch_customer(merge, now)
        touch_customer(keep, now)
        data = {
            "keep_id": keep.pk,
            "merged_id": merge.pk,
            "moved": moved,
            "demoted": demoted,
            "ward_copied": ward_copied,
        }
        entry_id = record_customer_change(
            merge,
            action="merged",
            summary=f"Merged into customer {keep.pk}",
            data=data,
            by=by,
            now=now,
        )
        record_customer_change(
            keep,
            action="merged_in",
            summary=f"Customer {merge.pk} merged into this record",
            data={**data, "merge_entry_id": entry_id},
            by=by,
            now=now,
        )
    return CustomerMerge(keep=keep, merged=merge, audit_entry_id=entry_id, moved=moved)


def unmerge_customers(*, tombstone: Customer, by: User | None, now: datetime) -> Customer:
    """Undo the latest merge of `tombstone`, moving back what it brought (using the audit entry)."""
    require_aware(now)
    _authorise(by, "customer.unmerge")
    with transaction.atomic():
        tombstone = Customer.objects.select_for_update().get(pk=tombstone.pk)
        if tombstone.merged_into_id is None:
            raise Conflict("This customer is not merged into another record")
        entry = latest_change("customer", tombstone.pk, "customer.merged")
        if entry is None or entry.data.get("keep_id") != tombstone.merged_into_id:
            raise Conflict("There is no record of this merge, so it cannot be undone")
        keep = Customer.objects.select_for_update().get(pk=tombstone.merged_into_id)
        if keep.erased_at is not None:
            raise Conflict("The record this was merged into has been erased")
        returned: dict[str, list[int]] = {}
        for related, model in _MOVABLE.items():
            ids = entry.data["moved"].get(related, [])
            # Details deleted since the merge are gone; everything else goes back.
            rows = model._default_manager.filter(pk__in=ids, customer=keep)
            returned[related] = sorted(rows.values_list("pk", flat=True))
            rows.update(customer=tombstone)
            demoted = entry.data["demoted"].get(related, [])
            if demoted:
                model._default_manager.filter(pk__in=demoted, customer=tombstone).update(
                    is_primary=True
                )
        if entry.data.get("ward_copied") and keep.ward_code == tombstone.ward_code:
            keep.ward_code = ""
            keep.save(update_fields=["ward_code"])
        tombstone.merged_into = None
        tombstone.merged_at = None
        tombstone.save(update_fields=["merged_into", "merged_at"])
        touch_customer(tombstone, now)
        touch_customer(keep, now)
        data = {
            "keep_id": keep.pk,
            "restored_id": tombstone.pk,
            "merge_entry_id": entry.pk,
            "returned": returned,
        }
        record_customer_change(
            tombstone,
            action="unmerged",
            summary=f"Separated again from customer {keep.pk}",
            data=data,
            by=by,
            now=now,
        )
        record_customer_change(
            keep,
            action="unmerged_out",
            summary=f"Customer {tombstone.pk} separated again",
            data=data,
            by=by,
            now=now,
        )
    return tombstone


# ----------------------------------------------------------------------------- erasure


def erase_customer(*, customer: Customer, by: User | None, now: datetime, reason: str) -> Customer:
    """Remove the customer's personal data; the row (id, kind, ward, created) stays for statistics.

    Records merged into this customer are erased too. The audit trail keeps its own entries
    (it is retained for accountability under its own retention period); the customer's
    history events are redacted.
    """
    require_aware(now)
    _authorise(by, "customer.erase")
    text = _text(reason, field="reason", max_length=4000)
    if not text:
        raise InvalidInput("reason", "required", "Give the reason for erasure (e.g. the request)")
    if customer.erased_at is not None:
        return customer
    with transaction.atomic():
        ids = [customer.pk]
        frontier = [customer.pk]
        while frontier:  # every tombstone that (through others) redirects here
            frontier = list(
                Customer.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)
            )
            ids.extend(i for i in frontier if i not in ids)
        removed = {
            related: model._default_manager.filter(customer_id__in=ids).delete()[0]
            for related, model in _MOVABLE.items()
        }
        Customer.objects.filter(pk__in=ids).update(
            title="",
            given_name="",
            family_name="",
            organisation_name="",
            search_name="",
            date_of_birth=None,
            preferred_channel=PreferredChannel.NONE,
            preferred_language="en",
            alternative_formats=[],
            needs="",
            vulnerability_flags=[],
            erased_at=now,
            updated_at=now,
            version=F("version") + 1,
        )
        CustomerEvent.objects.filter(customer_id__in=ids).redact_for_erasure()
        customer.refresh_from_db()
        record_customer_change(
            customer,
            action="erased",
            summary="Personal data erased",
            data={"reason": text, "removed": removed, "records": ids},
            by=by,
            now=now,
        )
    return customer
