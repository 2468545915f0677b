"""Customers: checking and normalising what people type (postcodes, phones, emails, UPRNs).

Every function raises InvalidInput naming the field, so an interface can show the message
next to the right box.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from frontdoor.core.errors import InvalidInput
from frontdoor.council.errors import CouncilNotLoaded
from frontdoor.council.queries import current_council
from frontdoor.customers.models import PhoneKind

# Outward code (A9, A99, AA9, AA99, A9A, AA9A) + inward code (9AA), per BS 7666; GIR 0AA too.
_POSTCODE = re.compile(
    r"^(?:(?P<out>[A-Z]{1,2}[0-9][A-Z0-9]?)(?P<in>[0-9][ABD-HJLNP-UW-Z]{2})|(?P<gir>GIR0AA))$"
)


def normalise_postcode(text: str, *, field: str = "postcode") -> str:
    """'nr279en' -> 'NR27 9EN'; InvalidInput if it is not a UK postcode."""
    compact = re.sub(r"\s+", "", text or "").upper()
    match = _POSTCODE.match(compact)
    if not match:
        raise InvalidInput(field, "invalid", f"Enter a real UK postcode, like NR27 9EN ({text!r})")
    if match.group("gir"):
        return "GIR 0AA"
    return f"{match.group('out')} {match.group('in')}"


def search_text(text: str) -> str:
    """What name search compares: lower case, accents and apostrophes dropped, other
    punctuation as spaces, single spaces ("Zoë O'Brien-Smith" -> "zoe obrien smith")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"['\u2019`]", "", plain)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def search_name_for(
    given_name: str = "", family_name: str = "", organisation_name: str = ""
) -> str:
    """The normalised name a customer is found by (Customer.search_name)."""
    names = (given_name or "", family_name or "", organisation_name or "")
    return search_text(" ".join(names))[:400]


def postcode_district(postcode: str) -> str:
    """The outward code of a normalised postcode ('NR27 9EN' -> 'NR27')."""
    return postcode.split(" ", 1)[0]


def parse_phone(text: str, *, field: str = "phone") -> tuple[str, str]:
    """A valid UK (or +country) number as (E.164, mobile|landline); InvalidInput otherwise."""
    try:
        number = phonenumbers.parse(text or "", "GB")
    except phonenumbers.NumberParseException:
        raise InvalidInput(field, "invalid", f"Enter a real phone number ({text!r})") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(field, "invalid", f"Enter a real phone number ({text!r})")
    number_type = phonenumbers.number_type(number)
    kind = (
        PhoneKind.MOBILE
        if number_type
        in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
        else PhoneKind.LANDLINE
    )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), kind


def normalise_phone(text: str, *, field: str = "phone") -> str:
    """'07400 123456' -> '+447400123456'; InvalidInput if it is not a valid number."""
    return parse_phone(text, field=field)[0]


def phone_for_display(e164: str) -> str:
    """'+447400123456' -> '07400 123456' (UK numbers as people write them; others with +)."""
    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def normalise_email(text: str, *, field: str = "email") -> str:
    """Trimmed and lower-cased; InvalidInput if it is not an email address."""
    address = (text or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidInput(
            field, "invalid", f"Enter an email address like name@example.com ({text!r})"
        ) from None
    return address


def check_reference_number(text: str, *, field: str, max_digits: int, label: str) -> str:
    """A UPRN (<= 12 digits) or USRN (<= 8 digits); blank is allowed."""
    value = (text or "").strip()
    if value and not (value.isdigit() and len(value) <= max_digits):
        raise InvalidInput(field, "invalid", f"A {label} is up to {max_digits} digits ({text!r})")
    return value


def check_choices(values: Iterable[str], *, allowed: Iterable[str], field: str) -> list[str]:
    """A list of distinct values, each one of `allowed`, in the order given."""
    permitted = set(allowed)
    if isinstance(values, str):
        raise InvalidInput(field, "invalid", "Give a list of values")
    cleaned: list[str] = []
    for value in values:
        if value not in permitted:
            raise InvalidInput(
                field, "invalid", f"{value!r} is not one of: {', '.join(sorted(permitted))}"
            )
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


def ward_for_postcode(postcode: str) -> str:
    """The ward code for a postcode when the council's wards decide it; blank otherwise.

    Blank when no council is loaded, or when the district is shared by several wards
    (a UPRN lookup would be needed to decide).
    """
    try:
        wards = current_council().wards_for_postcode(postcode)
    except CouncilNotLoaded:
        return ""
    return wards[0].code if len(wards) == 1 else ""
