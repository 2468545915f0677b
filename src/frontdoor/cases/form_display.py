"""How an online form's questions and answers are shown, whoever fills it in.

Shared by the resident portal (`portal/forms_engine.py`) and the staff console's assisted
digital pages (`console/assisted.py`): the same form definition, the same questions, the same
error summary and check-your-answers rows. Every question is drawn by the macro in
`portal/forms/_fields.html` from a `FieldView`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from markupsafe import Markup, escape

from frontdoor.cases.form_fields import FieldError, answer_text, first_input_id
from frontdoor.council.config import FormField, FormPage, OnlineForm


@dataclass(frozen=True)
class FieldView:
    field: FormField
    type: str
    name: str
    label: str
    hint: str
    required: bool
    error: str
    value: Any  # str, or a dict of parts for date/address/location
    options: list[dict[str, str]]
    max_length: int | None
    is_heading: bool


def field_view(field: FormField, *, raw: dict[str, str], answers: dict[str, Any],
               errors: dict[str, FieldError], lang: str, is_heading: bool) -> FieldView:
    """What the template needs to draw one question, with what was typed or answered before."""
    label = field.label.get(lang)
    if not field.required and "(optional)" not in label:
        label = f"{label} ({_('optional')})"
    error = errors.get(field.name)
    return FieldView(
        field=field, type=field.type, name=field.name, label=label,
        hint=field.hint.get(lang) if field.hint else "", required=field.required,
        error=error.message if error else "", value=_value(field, raw, answers),
        options=[{"value": o.value, "text": o.label.get(lang),
                  "hint": o.hint.get(lang) if o.hint else ""} for o in field.options],
        max_length=field.max_length or ({"text": 200, "long_text": 2000}.get(field.type)),
        is_heading=is_heading,
    )


def _value(field: FormField, raw: dict[str, str], answers: dict[str, Any]) -> Any:
    answer = answers.get(field.name)
    if field.type == "date":
        parts = ("day", "month", "year")
        if any(f"{field.name}-{p}" in raw for p in parts):
            return {p: raw.get(f"{field.name}-{p}", "") for p in parts}
        if answer:
            year, month, day = str(answer).split("-")
            return {"day": str(int(day)), "month": str(int(month)), "year": year}
        return {p: "" for p in parts}
    if field.type in ("address", "location"):
        names: tuple[str, ...] = (("line1", "line2", "town", "postcode", "uprn")
                                  if field.type == "address"
                                  else ("description", "latitude", "longitude"))
        if any(f"{field.name}-{p}" in raw for p in names):
            return {p: raw.get(f"{field.name}-{p}", "") for p in names}
        return {p: (answer or {}).get(p, "") for p in names}
    if field.name in raw:
        return raw[field.name]
    return "" if answer is None else str(answer)


def page_views(page: FormPage, *, raw: dict[str, str], answers: dict[str, Any],
               errors: list[FieldError], lang: str) -> list[FieldView]:
    by_field = {error.field: error for error in errors}
    single = len(page.fields) == 1
    return [field_view(field, raw=raw, answers=answers, errors=by_field, lang=lang,
                       is_heading=single) for field in page.fields]


def page_title(page: FormPage, lang: str) -> str:
    if page.title is not None:
        return page.title.get(lang)
    field = page.fields[0]
    label = field.label.get(lang)
    return label if field.required or "(optional)" in label else f"{label} ({_('optional')})"


def error_list(errors: list[FieldError]) -> list[dict[str, str]]:
    """The error summary's items, each linking to its input."""
    return [{"text": error.message, "href": f"#{error.target}"} for error in errors]


def answer_rows(form: OnlineForm, *, answers: Mapping[str, Any], files: Mapping[str, Any],
                lang: str, change_url: Callable[[str], str]) -> list[dict[str, Any]]:
    """Check your answers: one row per question, with a change link to its page's URL."""
    rows: list[dict[str, Any]] = []
    for page in form.pages:
        change = change_url(page.code)
        for field in page.fields:
            value = files.get(field.name) if field.type == "file" else answers.get(field.name)
            text = answer_text(field, value, lang=lang) if value else _("Not given")
            rows.append(summary_row(field.label.get(lang), text, change, field.label.get(lang),
                                    anchor=first_input_id(field)))
    return rows


def summary_row(label: str, text: str, href: str, hidden: str, anchor: str = ""
                ) -> dict[str, Any]:
    # Escaped here, line breaks kept: answers are shown exactly as typed, never as markup.
    html = escape(text).replace("\n", Markup("<br>"))
    return {"key": label, "value": text, "value_html": html,
            "href": href + (f"#{anchor}" if anchor else ""), "hidden": hidden}
