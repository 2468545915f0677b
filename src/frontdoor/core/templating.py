"""The Jinja2 environment every interface renders with (GOV.UK Frontend macros included).

Pages extend `layouts/resident.html` (the portal and the error pages) or `layouts/staff.html`
(the console) and are rendered with `render_page`, which insists on a title: the `<title>`
is "<h1 text> - <service name> - <council name>", joined by en dashes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from frontdoor.core.time import to_london

# Shown where no council configuration is loaded yet (a fresh database).
FALLBACK_COUNCIL_NAME = "Front Door"
TITLE_SEPARATOR = " \u2013 "  # an en dash, as GOV.UK titles use


def _url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def london_time(moment: Any, fmt: str = "%-d %B %Y at %-I:%M%p") -> str:
    """Show an aware instant in Europe/London ("5 January 2026 at 5:00pm")."""
    if moment is None:
        return ""
    text = to_london(moment).strftime(fmt)
    return text.replace("AM", "am").replace("PM", "pm")


def environment(**options: Any) -> Environment:
    app_loader = options.pop("loader", None)
    loaders = [PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
    if app_loader is not None:
        loaders.insert(0, app_loader)
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    env = Environment(loader=ChoiceLoader(loaders), **options)
    env.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update({"static": static, "url": _url})
    env.filters["london"] = london_time
    return env


@dataclass(frozen=True)
class Branding:
    """Who the page belongs to: the council's name and the service (portal or console)."""

    council_name: str
    service_name: str
    service_url: str
    council_phone: str = ""
    council_website: str = ""


def page_title(title: str, branding: Branding) -> str:
    """"<title> - <service> - <council>" (en dashes), leaving out a part that repeats."""
    parts: list[str] = []
    for part in (title, branding.service_name, branding.council_name):
        if part and part not in parts:
            parts.append(part)
    return TITLE_SEPARATOR.join(parts)


def render_page(
    request: HttpRequest,
    template_name: str,
    *,
    title: str,
    branding: Branding,
    context: Mapping[str, Any] | None = None,
    status: int = 200,
    has_errors: bool = False,
) -> HttpResponse:
    """Render a page in a layout; `title` is the page's `<h1>` text and starts its `<title>`."""
    return render(
        request,
        template_name,
        page_context(request, title=title, branding=branding, context=context,
                     has_errors=has_errors),
        status=status,
    )


def page_context(
    request: HttpRequest,
    *,
    title: str,
    branding: Branding,
    context: Mapping[str, Any] | None = None,
    has_errors: bool = False,
) -> dict[str, Any]:
    """The context every layout needs, merged with the page's own `context`."""
    if not title.strip():
        raise ValueError("every page needs a title (its <h1> text)")
    full_title = page_title(title, branding)
    return {
        **(context or {}),
        "title": title,
        # GOV.UK pattern: a page showing validation errors starts its title with "Error: ".
        "page_title": f"Error: {full_title}" if has_errors else full_title,
        "branding": branding,
        "html_lang": _html_lang(getattr(request, "LANGUAGE_CODE", None)),
    }


def _html_lang(code: str | None) -> str:
    """"en-gb" → "en-GB" (BCP 47 as browsers and screen readers expect it)."""
    language, _, region = (code or "en-gb").partition("-")
    return f"{language}-{region.upper()}" if region else language
