"""Checking the answers to an online form, question by question (the form engine's rules).

A form's questions come from the council configuration (`council.config.OnlineForm`). Each
answer is checked and normalised here, so the portal, the API and any later channel accept the
same things: postcodes through the customers helpers, files by their content
(`cases.uploads.check_upload`), text kept as text (never interpreted; pages escape it).

Raw input uses the field's name, and for compound questions `<name>-<part>` (GOV.UK's date
input `-day/-month/-year`, an address `-line1/-line2/-town/-postcode/-uprn`, a location
`-description/-latitude/-longitude`). An error names the input to link to from the summary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from frontdoor.cases.uploads import CheckedFile, check_upload
from frontdoor.core.errors import InvalidInput
from frontdoor.council.config import FormField, FormPage, OnlineForm
from frontdoor.customers.validation import (
    check_reference_number,
    normalise_email,
    normalise_phone,
    normalise_postcode,
)

DEFAULT_MAX_LENGTH = {"text": 200, "long_text": 2000}
PART_MAX_LENGTH = 200  # each line of an address, a place description is long_text-sized
LOCATION_MAX_LENGTH = 500
# Control characters other than tab and newlines are dropped: they are never meant.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ADDRESS_PARTS = ("line1", "line2", "town", "postcode", "uprn")
LOCATION_PARTS = ("description", "latitude", "longitude")
DATE_PARTS = ("day", "month", "year")
YES_NO = {"yes", "no"}


@dataclass(frozen=True)
class FieldError:
    """A problem with one answer: `target` is the id of the input the summary links to."""

    field: str
    target: str
    message: str


@dataclass(frozen=True)
class UploadedFile:
    """A file as it arrived (name and bytes), before it is checked."""

    name: str
    content: bytes


@dataclass
class CleanPage:
    answers: dict[str, Any]
    files: dict[str, CheckedFile]
    errors: list[FieldError]
    raw: dict[str, str]  # what was typed, to show again beside the errors


def clean_text(value: Any) -> str:
    """Text as typed, minus control characters and surrounding space (Windows newlines unified)."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _short(field: FormField, lang: str) -> str:
    """The question as a phrase for messages: "What has been dumped?" -> "what has been dumped"."""
    label = field.label.get(lang).removesuffix("(optional)").strip().rstrip("?").strip()
    return label[:1].lower() + label[1:]


def _message(field: FormField, kind: str, default: str, lang: str) -> str:
    custom = field.messages.get(kind)  # type: ignore[call-overload]
    return custom.get(lang) if custom is not None else default


def clean_page(
    *,
    page: FormPage,
    data: Mapping[str, Any],
    files: Mapping[str, UploadedFile | None],
    lang: str = "en",
) -> CleanPage:
    """Every answer on the page checked; errors in the order the questions appear."""
    result = CleanPage(answers={}, files={}, errors=[], raw={})
    for field in page.fields:
        for key in _input_names(field):
            if key in data:
                result.raw[key] = str(data.get(key) or "")[:10000]
        try:
            if field.type == "file":
                upload = files.get(field.name)
                if upload is None or not upload.content:
                    if field.required:
                        raise InvalidInput(field.name, "required", _message(
                            field, "required", _("Select a file"), lang))
                    continue
                result.files[field.name] = _check_file(field, upload, lang)
                continue
            value = clean_answer(field, data, lang=lang)
        except InvalidInput as problem:
            result.errors.append(FieldError(field.name, problem.field or field.name,
                                            problem.message))
            continue
        if value not in (None, "", {}):
            result.answers[field.name] = value
    return result


def _input_names(field: FormField) -> list[str]:
    parts = {"date": DATE_PARTS, "address": ADDRESS_PARTS, "location": LOCATION_PARTS}
    if field.type in parts:
        return [f"{field.name}-{part}" for part in parts[field.type]]
    return [field.name]


def first_input_id(field: FormField) -> str:
    """The id of the first input of a question (where an error summary link lands)."""
    return _input_names(field)[0]


def _check_file(field: FormField, upload: UploadedFile, lang: str) -> CheckedFile:
    try:
        return check_upload(name=upload.name, content=upload.content, field=field.name)
    except InvalidInput as problem:
        kind = {"too_big": "too_big", "wrong_type": "wrong_type",
                "unreadable": "wrong_type"}.get(problem.code, "invalid")
        raise InvalidInput(field.name, problem.code,
                           _message(field, kind, problem.message, lang)) from None


def clean_answer(field: FormField, data: Mapping[str, Any], *, lang: str = "en") -> Any:
    """The normalised answer to one question (None when optional and blank), or InvalidInput."""
    name = field.name
    if field.type == "date":
        return _clean_date(field, data, lang)
    if field.type == "address":
        return _clean_address(field, data, lang)
    if field.type == "location":
        return _clean_location(field, data, lang)
    text = clean_text(data.get(name))
    if not text:
        if field.required:
            verb = _("Select") if field.type in ("radios", "select", "yes_no") else _("Enter")
            raise InvalidInput(name, "required", _message(
                field, "required", f"{verb} {_short(field, lang)}", lang))
        return None
    if field.type in ("text", "long_text"):
        limit = field.max_length or DEFAULT_MAX_LENGTH[field.type]
        if len(text) > limit:
            raise InvalidInput(name, "too_long", _message(
                field, "too_long",
                _("Your answer must be %(limit)s characters or fewer") % {"limit": limit}, lang))
        return text
    if field.type == "number":
        return _clean_number(field, text, lang)
    if field.type in ("radios", "select"):
        if text not in {option.value for option in field.options}:
            raise InvalidInput(name, "invalid", _message(
                field, "invalid", _("Select one of the options"), lang))
        return text
    if field.type == "yes_no":
        if text not in YES_NO:
            raise InvalidInput(name, "invalid", _message(field, "invalid", _("Select yes or no"),
                                                         lang))
        return text
    if field.type == "email":
        try:
            return normalise_email(text, field=name)
        except InvalidInput:
            raise InvalidInput(name, "invalid", _message(field, "invalid", _(
                "Enter an email address in the correct format, like name@example.com"),
                lang)) from None
    if field.type == "phone":
        try:
            return normalise_phone(text, field=name)
        except InvalidInput:
            raise InvalidInput(name, "invalid", _message(field, "invalid", _(
                "Enter a phone number, like 01263 513811 or 07700 900982"), lang)) from None
    raise InvalidInput(name, "invalid", f"Unknown question type {field.type!r}")


def _clean_number(field: FormField, text: str, lang: str) -> int:
    compact = text.replace(",", "").replace(" ", "")
    if not re.fullmatch(r"-?[0-9]{1,9}", compact):
        raise InvalidInput(field.name, "invalid", _message(
            field, "invalid", _("Enter a whole number, like 2"), lang))
    number = int(compact)
    if field.min is not None and number < field.min:
        raise InvalidInput(field.name, "too_small", _message(
            field, "too_small", _("Enter a number of %(min)s or more") % {"min": field.min}, lang))
    if field.max is not None and number > field.max:
        raise InvalidInput(field.name, "too_big", _message(
            field, "too_big", _("Enter a number of %(max)s or fewer") % {"max": field.max}, lang))
    return number


def _clean_date(field: FormField, data: Mapping[str, Any], lang: str) -> str | None:
    parts = {part: clean_text(data.get(f"{field.name}-{part}")) for part in DATE_PARTS}
    if not any(parts.values()):
        if field.required:
            raise InvalidInput(f"{field.name}-day", "required", _message(
                field, "required", f"{_('Enter')} {_short(field, lang)}", lang))
        return None
    for part in DATE_PARTS:
        if not parts[part]:
            raise InvalidInput(f"{field.name}-{part}", "invalid", _message(
                field, "invalid", _("The date must include a %(part)s") % {"part": _(part)},
                lang))
    try:
        day, month, year = (int(parts[p]) for p in DATE_PARTS)
        if not 1900 <= year <= 2200:
            raise ValueError
        value = date(year, month, day)
    except ValueError:
        raise InvalidInput(f"{field.name}-day", "invalid", _message(
            field, "invalid", _("Enter a real date, like 27 3 2026"), lang)) from None
    return value.isoformat()


def _clean_address(field: FormField, data: Mapping[str, Any], lang: str) -> dict[str, str] | None:
    parts = {part: clean_text(data.get(f"{field.name}-{part}")) for part in ADDRESS_PARTS}
    if not any(parts.values()):
        if field.required:
            raise InvalidInput(f"{field.name}-line1", "required", _message(
                field, "required", _("Enter the first line of the address"), lang))
        return None
    for part in ("line1", "line2", "town"):
        if len(parts[part]) > PART_MAX_LENGTH:
            raise InvalidInput(f"{field.name}-{part}", "too_long", _(
                "Each line of the address must be %(limit)s characters or fewer")
                % {"limit": PART_MAX_LENGTH})
    if not parts["line1"]:
        raise InvalidInput(f"{field.name}-line1", "required",
                           _("Enter the first line of the address"))
    if not parts["postcode"]:
        raise InvalidInput(f"{field.name}-postcode", "required", _("Enter the postcode"))
    try:
        parts["postcode"] = normalise_postcode(parts["postcode"], field=f"{field.name}-postcode")
    except InvalidInput:
        raise InvalidInput(f"{field.name}-postcode", "invalid",
                           _("Enter a real postcode, like NR27 9EN")) from None
    try:
        parts["uprn"] = check_reference_number(parts["uprn"], field=f"{field.name}-uprn",
                                               max_digits=12, label="UPRN")
    except InvalidInput:
        raise InvalidInput(f"{field.name}-uprn", "invalid",
                           _("A property reference (UPRN) is up to 12 digits")) from None
    return parts


def _clean_location(field: FormField, data: Mapping[str, Any], lang: str) -> dict[str, str] | None:
    parts = {part: clean_text(data.get(f"{field.name}-{part}")) for part in LOCATION_PARTS}
    if not parts["description"] and not (parts["latitude"] and parts["longitude"]):
        if field.required or parts["latitude"] or parts["longitude"]:
            raise InvalidInput(f"{field.name}-description", "required", _message(
                field, "required", _("Tell us where it is"), lang))
        return None
    if len(parts["description"]) > LOCATION_MAX_LENGTH:
        raise InvalidInput(f"{field.name}-description", "too_long", _(
            "The description of the place must be %(limit)s characters or fewer")
            % {"limit": LOCATION_MAX_LENGTH})
    if bool(parts["latitude"]) != bool(parts["longitude"]):
        missing = "latitude" if not parts["latitude"] else "longitude"
        raise InvalidInput(f"{field.name}-{missing}", "incomplete",
                           _("Enter both the latitude and the longitude, or neither"))
    for part, limit in (("latitude", 90), ("longitude", 180)):
        if parts[part]:
            try:
                number = Decimal(parts[part])
                if not number.is_finite() or abs(number) > limit:
                    raise InvalidOperation
            except InvalidOperation:
                raise InvalidInput(f"{field.name}-{part}", "invalid", _(
                    "Enter the %(part)s as a number between -%(limit)s and %(limit)s")
                    % {"part": _(part), "limit": limit}) from None
            parts[part] = str(number.quantize(Decimal("0.000001")))
    return parts


def missing_answer(form: OnlineForm, answers: Mapping[str, Any],
                   files: Mapping[str, Any]) -> FormField | None:
    """The first required question without an answer (None when the form is complete)."""
    for field in form.fields:
        given = files.get(field.name) if field.type == "file" else answers.get(field.name)
        if field.required and not given:
            return field
    return None


def unknown_answers(form: OnlineForm, answers: Mapping[str, Any]) -> list[str]:
    names = {field.name for field in form.fields}
    return sorted(name for name in answers if name not in names)


def answer_text(field: FormField, value: Any, *, lang: str = "en") -> str:
    """An answer as a person reads it (check answers, the case description)."""
    if value in (None, "", {}):
        return ""
    if field.type in ("radios", "select"):
        for option in field.options:
            if option.value == value:
                return option.label.get(lang)
        return str(value)
    if field.type == "yes_no":
        return _("Yes") if value == "yes" else _("No")
    if field.type == "date":
        return date.fromisoformat(str(value)).strftime("%-d %B %Y")
    if field.type == "address":
        return "\n".join(str(value.get(p)) for p in ("line1", "line2", "town", "postcode")
                         if value.get(p))
    if field.type == "location":
        lines = [str(value.get("description") or "")]
        if value.get("latitude"):
            lines.append(f"{value['latitude']}, {value['longitude']}")
        return "\n".join(line for line in lines if line)
    if field.type == "file":
        return str(value.get("name", "")) if isinstance(value, Mapping) else str(value)
    return str(value)
