"""Customers: reads. `get_customer_for_staff` is the query that serves personal data to staff,
and it records every read in the audit trail.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Greatest
from rapidfuzz import fuzz, utils

from frontdoor.accounts.permissions import can, require
from frontdoor.audit.actions import record_read
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.core.time import require_aware
from frontdoor.customers.models import (
    Address,
    Customer,
    CustomerKind,
    EmailAddress,
    NameWord,
    PhoneNumber,
    WarningMarker,
)
from frontdoor.customers.validation import (
    normalise_email,
    normalise_phone,
    normalise_postcode,
    search_text,
)
from frontdoor.notifications.recipients import Formats, Recipient

__all__ = [
    "CustomerMatch",
    "customers_visible_to",
    "find_possible_duplicates",
    "get_customer_for_change",
    "get_customer_for_staff",
    "normalise_email",
    "normalise_phone",
    "normalise_postcode",
    "search_customers",
    "surviving_customer",
]

# A name this similar (0-100, token order ignored) at the same postcode suggests a duplicate.
NAME_SIMILARITY_THRESHOLD = 85.0

_DETAILS = ("emails", "phones", "addresses", "consents", "warning_markers", "representatives")


def live_customers() -> QuerySet[Customer]:
    """Customers that are neither merged into another record nor erased."""
    return Customer.objects.filter(merged_into__isnull=True, erased_at__isnull=True)


def customers_visible_to(user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[Customer]:
    """Live customers the user may look up: all of them for staff who serve customers, else none.

    Listing only: whoever shows a customer's details must use get_customer_for_staff.
    """
    if not can(user, "customer.view"):
        return Customer.objects.none()
    return live_customers()


def surviving_customer(customer_id: int) -> Customer:
    """The record `customer_id` now lives in, following merge tombstones (NotFound if none)."""
    seen: set[int] = set()
    customer = Customer.objects.filter(pk=customer_id).first()
    while customer is not None and customer.merged_into_id is not None:
        if customer.pk in seen:  # a loop can only come from hand-edited data
            break
        seen.add(customer.pk)
        customer = Customer.objects.filter(pk=customer.merged_into_id).first()
    if customer is None:
        raise NotFound(f"There is no customer {customer_id}", field="customer_id")
    return customer


def get_customer_for_staff(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    customer_id: int,
    purpose: str,
    now: datetime,
    request_id: str = "",
    ip: str | None = None,
) -> Customer:
    """The customer (merged records redirect to the surviving one) with their details.

    Records the read, with its purpose, in the audit trail. NotFound when the user may not
    see customers, the id is unknown, or the record was erased.
    """
    require_aware(now)
    if not can(user, "customer.view") or isinstance(user, AnonymousUser) or user is None:
        raise NotFound(f"There is no customer {customer_id}", field="customer_id")
    surviving = surviving_customer(customer_id)
    if surviving.erased_at is not None or surviving.merged_into_id is not None:
        raise NotFound(f"There is no customer {customer_id}", field="customer_id")
    data: dict[str, Any] = {}
    if surviving.pk != int(customer_id):
        data["requested_id"] = int(customer_id)
    record_read(
        actor=user,
        object_type="customer",
        object_id=surviving.pk,
        purpose=purpose,
        at=now,
        data=data,
        request_id=request_id,
        ip=ip,
    )
    return Customer.objects.prefetch_related(*_DETAILS).get(pk=surviving.pk)


def get_customer_for_change(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    customer_id: int,
    action: str,
    now: datetime,
) -> Customer:
    """A live customer a member of staff is about to change with `action` (a permission name).

    Forbidden when the role may not do it; NotFound when the id is unknown, erased or merged
    away. The read is audited with the action as its purpose.
    """
    require(user, action)
    customer = get_customer_for_staff(
        user=user, customer_id=customer_id, purpose=action.replace(".", " "), now=now
    )
    if customer.pk != int(customer_id):
        raise NotFound(f"Customer {customer_id} was merged into customer {customer.pk}")
    return customer


def _name_of(customer: Customer) -> str:
    if customer.kind == CustomerKind.ORGANISATION:
        return utils.default_process(customer.organisation_name)
    return utils.default_process(f"{customer.given_name} {customer.family_name}")


def find_possible_duplicates(customer: Customer) -> list[Customer]:
    """Other live customers sharing an email or phone, or with a similar name at a same postcode.

    Exact matches (email, phone) come first, then name matches by similarity; each customer once.
    """
    others = live_customers().exclude(pk=customer.pk)
    emails = list(customer.emails.values_list("address", flat=True))
    phones = list(customer.phones.values_list("e164", flat=True))
    postcodes = list(customer.addresses.values_list("postcode", flat=True))

    found: dict[int, Customer] = {}
    for match in (
        others.filter(emails__address__in=emails).order_by("pk") if emails else [],
        others.filter(phones__e164__in=phones).order_by("pk") if phones else [],
    ):
        for other in match:
            found.setdefault(other.pk, other)

    name = _name_of(customer)
    if postcodes and name:
        scored: list[tuple[float, int, Customer]] = []
        nearby = others.filter(kind=customer.kind, addresses__postcode__in=postcodes).distinct()
        for other in nearby:
            if other.pk in found:
                continue
            score = fuzz.token_sort_ratio(name, _name_of(other))
            if score >= NAME_SIMILARITY_THRESHOLD:
                scored.append((score, other.pk, other))
        for _score, _pk, other in sorted(scored, key=lambda s: (-s[0], s[1])):
            found[other.pk] = other
    return list(found.values())


def recipient_for_customer(customer: Customer) -> Recipient:
    """How to reach the customer: their preferred channel, language and formats, for the outbox."""
    emails = sorted(customer.emails.all(), key=lambda e: not e.is_primary)
    phones = sorted(
        (p for p in customer.phones.all() if p.kind == "mobile"), key=lambda p: not p.is_primary
    )
    addresses = sorted(customer.addresses.all(), key=lambda a: not a.is_primary)
    address_lines: tuple[str, ...] = ()
    if addresses:
        a = addresses[0]
        address_lines = tuple(
            part for part in (customer.display_name, a.line1, a.line2, a.town, a.postcode) if part
        )
    preferred = {"email": "email", "sms": "sms", "letter": "letter"}.get(
        customer.preferred_channel, "email"
    )
    formats = set(customer.alternative_formats or [])
    return Recipient(
        name=customer.display_name,
        email=emails[0].address if emails else "",
        phone_e164=phones[0].e164 if phones else "",
        address_lines=address_lines,
        preferred_channel=preferred,
        language=customer.preferred_language or "en",
        formats=Formats(large_print="large_print" in formats, braille="braille" in formats),
    )


# ------------------------------------------------------------------------------ search

# Identifiers match exactly and come first, in this order; names follow by similarity.
IDENTIFIER_ORDER = ("reference", "email", "phone", "uprn", "postcode")
MATCH_LABELS = {
    "reference": "Case reference",
    "email": "Email address",
    "phone": "Phone number",
    "uprn": "UPRN",
    "postcode": "Postcode",
    "name": "Name",
}
# Names: candidates the database returns before they are ranked here, and the least score
# (0-100, see _name_score) a name needs to be shown.
NAME_CANDIDATES = 60
NAME_SCORE_THRESHOLD = 55.0
# PostgreSQL: corrections looked up per word typed, and how many words of a name are used.
WORDS_PER_TOKEN = 12
WORD_SIMILARITY_THRESHOLD = 0.2
MAX_NAME_WORDS = 5
NAME_MATCH_CAP = 2000
NAME_ENOUGH = 20  # names found as typed before typos are corrected
SEARCH_MAX_LENGTH = 200
_PHONE_TEXT = re.compile(r"^\+?[\d\s().-]{7,20}$")
_UPRN_TEXT = re.compile(r"^\d{1,12}$")


@dataclass(frozen=True)
class CustomerMatch:
    """One search result: the customer, why it matched, and what staff need to tell them apart."""

    customer: Customer
    matched_on: str  # "reference", "email", "phone", "uprn", "postcode" or "name"
    score: float  # 100 for an exact identifier; name similarity otherwise
    line1: str
    town: str
    postcode: str
    email: str  # masked
    phone: str  # masked
    has_warning: bool

    @property
    def matched_on_label(self) -> str:
        return MATCH_LABELS[self.matched_on]


@dataclass(frozen=True)
class SearchTerms:
    """What the text could be: each identifier it is valid as, and the name words."""

    email: str = ""
    phone: str = ""
    postcode: str = ""
    uprn: str = ""
    name: str = ""

    @property
    def is_identifier(self) -> bool:
        return bool(self.email or self.phone or self.postcode or self.uprn)


def search_terms(text: str) -> SearchTerms:
    """Read what a member of staff typed in the one search box."""
    text = (text or "").strip()[:SEARCH_MAX_LENGTH]
    found: dict[str, str] = {}
    if "@" in text:
        with contextlib.suppress(InvalidInput):
            found["email"] = normalise_email(text)
        return SearchTerms(**found)
    if _PHONE_TEXT.match(text):
        with contextlib.suppress(InvalidInput):
            found["phone"] = normalise_phone(text)
    if _UPRN_TEXT.match(text):
        found["uprn"] = text
    with contextlib.suppress(InvalidInput):
        found["postcode"] = normalise_postcode(text)
    if not found and re.search(r"[^\W\d_]", text):
        found["name"] = search_text(text)
    return SearchTerms(**found)


def _mask_email(address: str | None) -> str:
    if not address:
        return ""
    local, _, domain = address.partition("@")
    return f"{local[:2]}{'•' * max(1, min(len(local) - 2, 6))}@{domain}"


def _mask_phone(e164: str | None) -> str:
    if not e164:
        return ""
    national = "0" + e164[3:] if e164.startswith("+44") else e164
    return f"{national[:2]}{'•' * (len(national) - 5)}{national[-3:]}"


def _name_score(query: str, name: str) -> float:
    """0-100: how well a normalised name fits what was typed; words typed as the start of the
    name's words (a partial name) count as a good fit, whatever their order."""
    if not name:
        return 0.0
    score = max(fuzz.token_sort_ratio(query, name), fuzz.token_set_ratio(query, name))
    words = name.split()
    if all(any(word.startswith(token) for word in words) for token in query.split()):
        score = max(score, 80.0) + 10.0
    return float(score)


def _identifier_hits(terms: SearchTerms) -> list[tuple[int, str]]:
    """(customer id, what matched) for each exact identifier match, in one statement."""
    parts: list[QuerySet[Any]] = []
    if terms.email:
        parts.append(
            EmailAddress.objects.filter(address=terms.email).values_list(
                "customer_id", Value("email", output_field=CharField())
            )
        )
    if terms.phone:
        parts.append(
            PhoneNumber.objects.filter(e164=terms.phone).values_list(
                "customer_id", Value("phone", output_field=CharField())
            )
        )
    if terms.uprn:
        parts.append(
            Address.objects.filter(uprn=terms.uprn).values_list(
                "customer_id", Value("uprn", output_field=CharField())
            )
        )
    if terms.postcode:
        parts.append(
            Address.objects.filter(postcode=terms.postcode).values_list(
                "customer_id", Value("postcode", output_field=CharField())
            )
        )
    if not parts:
        return []
    first, *rest = parts
    rows = first.union(*rest, all=True) if rest else first
    return [(int(customer_id), kind) for customer_id, kind in rows[:500]]


def _corrected_words(tokens: list[str]) -> list[list[str]]:
    """Per token typed, the words used in names that look like it (one statement)."""
    parts = [
        NameWord.objects.filter(TrigramSimilar(F("word"), Value(token, output_field=CharField())))
        .annotate(
            token=Value(i),
            closeness=TrigramSimilarity("word", Value(token)),  # type: ignore[arg-type]
        )
        .order_by("-closeness", "word")
        .values_list("token", "word")[:WORDS_PER_TOKEN]
        for i, token in enumerate(tokens)
    ]
    first, *rest = parts
    found: list[list[str]] = [[] for _ in tokens]
    with transaction.atomic(), connection.cursor() as cursor:
        # Short names differ in a larger share of their trigrams ("jon"/"john": 0.29), so
        # this lookup uses a lower threshold than pg_trgm's 0.3, for this transaction only.
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
            [str(WORD_SIMILARITY_THRESHOLD)],
        )
        for i, word in first.union(*rest, all=True) if rest else first:
            found[int(i)].append(word)
    return found


def _names_with_words(
    visible: QuerySet[Customer], name: str, tokens: list[str], corrections: list[list[str]]
) -> list[tuple[int, str]]:
    """(id, search_name) of customers whose name has, for every word typed, a word starting
    with it or one of its corrections (full text, GIN index), closest first."""
    query = " & ".join(
        "(" + " | ".join([f"{token}:*", *corrections[i]]) + ")" for i, token in enumerate(tokens)
    )
    typed = Value(name, output_field=CharField())
    # A short partial name ("ba") can match tens of thousands: rank a bounded sample.
    matching = (
        visible.annotate(words=SearchVector("search_name", config="simple"))
        .filter(words=SearchQuery(query, search_type="raw", config="simple"))
        .values("pk")[:NAME_MATCH_CAP]
    )
    return list(
        Customer.objects.filter(pk__in=Subquery(matching))
        .annotate(
            closeness=Greatest(
                TrigramSimilarity("search_name", typed),  # type: ignore[arg-type]
                TrigramWordSimilarity(typed, "search_name"),  # type: ignore[arg-type]
            )
        )
        .order_by("-closeness", "pk")
        .values_list("pk", "search_name")[:NAME_CANDIDATES]
    )


def _name_candidates(visible: QuerySet[Customer], name: str) -> list[tuple[int, str]]:
    """(id, search_name) of customers whose name may fit.

    PostgreSQL: each word typed is matched, by pg_trgm, against the words used in names
    (NameWord); customers are those whose name has, for every word typed, one of its
    corrections or a word starting with it (full text, its GIN index), ranked by similarity.
    Elsewhere (small embedded databases): a LIKE on the name's three-letter pieces.
    """
    if connection.vendor == "postgresql":
        tokens = name.split()[:MAX_NAME_WORDS]
        # Names as typed (each word, or the start of one) first; only when they find too
        # few are typos corrected, which widens the search.
        found = _names_with_words(visible, name, tokens, [[] for _ in tokens])
        if len(found) >= NAME_ENOUGH:
            return found
        return _names_with_words(visible, name, tokens, _corrected_words(tokens))
    pieces = {
        token[i : i + 3] for token in name.split() if len(token) >= 3 for i in range(len(token) - 2)
    } or set(name.split())
    match = Q()
    for piece in sorted(pieces):
        match |= Q(search_name__contains=piece)
    return list(visible.filter(match).values_list("pk", "search_name")[:20_000])


def _with_summary(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Each customer with their primary (else first) address, email and phone, and whether a
    warning marker is in force: one statement for the whole page."""
    first_address = Address.objects.filter(customer=OuterRef("pk")).order_by("-is_primary", "pk")
    first_email = EmailAddress.objects.filter(customer=OuterRef("pk")).order_by("-is_primary", "pk")
    first_phone = PhoneNumber.objects.filter(customer=OuterRef("pk")).order_by("-is_primary", "pk")
    return customers.annotate(
        summary_line1=Subquery(first_address.values("line1")[:1]),
        summary_town=Subquery(first_address.values("town")[:1]),
        summary_postcode=Subquery(first_address.values("postcode")[:1]),
        summary_email=Subquery(first_email.values("address")[:1]),
        summary_phone=Subquery(first_phone.values("e164")[:1]),
        summary_warning=Exists(
            WarningMarker.objects.filter(customer=OuterRef("pk"), removed_at__isnull=True)
        ),
    )


def search_customers(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    text: str,
    limit: int = 20,
    also: Sequence[tuple[int, str]] = (),
) -> list[CustomerMatch]:
    """Customers the user may see that match `text`: an email, phone (any common format),
    postcode (any spacing or case) or UPRN exactly, else a name (typos and partial names
    tolerated). Exact identifiers come first, then names by similarity.

    `also`: (customer id, what matched) found by other contexts (a case reference), ranked
    first. A fixed number of statements, whatever the number of results.
    """
    visible = customers_visible_to(user)
    if not can(user, "customer.view"):
        return []
    terms = search_terms(text)
    ranked: dict[int, tuple[str, float]] = {}
    for customer_id, kind in sorted(
        [*also, *_identifier_hits(terms)], key=lambda hit: IDENTIFIER_ORDER.index(hit[1])
    ):
        ranked.setdefault(customer_id, (kind, 100.0))
    if terms.name:
        scored = sorted(
            (
                (-_name_score(terms.name, search_name), pk)
                for pk, search_name in _name_candidates(visible, terms.name)
                if pk not in ranked
            )
        )
        for negative, pk in scored[:limit]:
            if -negative >= NAME_SCORE_THRESHOLD:
                ranked.setdefault(pk, ("name", -negative))
    if not ranked:
        return []
    wanted = list(ranked)[: limit * 3]
    customers = {c.pk: c for c in _with_summary(visible.filter(pk__in=wanted))}
    matches = []
    for pk in wanted:
        customer = customers.get(pk)
        if customer is None:  # merged, erased or outside the user's view
            continue
        kind, score = ranked[pk]
        matches.append(
            CustomerMatch(
                customer=customer,
                matched_on=kind,
                score=score,
                line1=customer.summary_line1 or "",  # type: ignore[attr-defined]
                town=customer.summary_town or "",  # type: ignore[attr-defined]
                postcode=customer.summary_postcode or "",  # type: ignore[attr-defined]
                email=_mask_email(customer.summary_email),  # type: ignore[attr-defined]
                phone=_mask_phone(customer.summary_phone),  # type: ignore[attr-defined]
                has_warning=bool(customer.summary_warning),  # type: ignore[attr-defined]
            )
        )
    # Within exact identifiers, keep a stable, readable order: by name.
    matches.sort(
        key=lambda m: (
            IDENTIFIER_ORDER.index(m.matched_on) if m.matched_on != "name" else 99,
            -m.score,
            m.customer.search_name if m.matched_on != "name" else "",
            m.customer.pk,
        )
    )
    return matches[:limit]


def records_merged_into(customer: Customer) -> list[Customer]:
    """The tombstones merged straight into `customer`, latest first (each can be unmerged)."""
    return list(
        Customer.objects.filter(merged_into=customer).order_by("-merged_at", "-pk")
    )
