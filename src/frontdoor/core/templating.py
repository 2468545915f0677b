"""The Jinja2 environment every interface renders with (GOV.UK Frontend macros included)."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from frontdoor.core.time import to_london


def _url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _london(moment: Any, fmt: str = "%-d %B %Y at %-I:%M%p") -> str:
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
    env.filters["london"] = _london
    return env
