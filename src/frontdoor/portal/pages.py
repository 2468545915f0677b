"""What every resident page shows: the council's name and how to reach it (from its config)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from frontdoor.core.templating import FALLBACK_COUNCIL_NAME, Branding, render_page
from frontdoor.council.config import CouncilConfig
from frontdoor.council.errors import CouncilNotLoaded
from frontdoor.council.queries import current_council

SERVICE_NAME = "Council services"


def council_or_none() -> CouncilConfig | None:
    """The current configuration, or None on a fresh database with no council loaded yet."""
    try:
        return current_council()
    except CouncilNotLoaded:
        return None


def resident_branding(config: CouncilConfig | None, lang: str | None = "en") -> Branding:
    if config is None:
        return Branding(FALLBACK_COUNCIL_NAME, SERVICE_NAME, reverse("portal:home"))
    return Branding(
        council_name=config.council.name.get(lang),
        service_name=SERVICE_NAME,
        service_url=reverse("portal:home"),
        council_phone=config.council.phone,
        council_website=config.council.website,
    )


def render_resident_page(
    request: HttpRequest,
    template_name: str,
    *,
    title: str,
    config: CouncilConfig | None,
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    lang = getattr(request, "LANGUAGE_CODE", "en")
    return render_page(
        request,
        template_name,
        title=title,
        branding=resident_branding(config, lang),
        context={"council": config, "lang": lang, **(context or {})},
        status=status,
    )
