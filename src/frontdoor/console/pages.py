"""What every staff page shares: staff-only access, the council brand and the staff menu."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from frontdoor.accounts.models import STAFF_ROLES
from frontdoor.accounts.permissions import can
from frontdoor.core.templating import FALLBACK_COUNCIL_NAME, Branding, render_page
from frontdoor.council.config import CouncilConfig
from frontdoor.council.errors import CouncilNotLoaded
from frontdoor.council.queries import current_council

SERVICE_NAME = "Staff console"

# (URL name, label, nav key, the permission it needs or None). A user sees only what their
# role may open; a name that does not resolve (an area not installed) is left out.
STAFF_MENU: list[tuple[str, str, str, str | None]] = [
    ("console:home", "Home", "home", None),
    ("console:customer-search", "Find a customer", "customers", "customer.view"),
    ("console:log-contact", "Log a contact", "contacts", "contact.log"),
    ("console:my-cases", "My cases", "my-cases", "queue.view_team"),
    ("console:queues", "Team queues", "queues", "queue.view_team"),
    ("console:knowledge", "Knowledge", "knowledge", "knowledge.view"),
    ("console:signposting", "Signposting", "signposting", "knowledge.view"),
]

View = TypeVar("View", bound=Callable[..., HttpResponse])


def council_or_none() -> CouncilConfig | None:
    try:
        return current_council()
    except CouncilNotLoaded:
        return None


def staff_branding(config: CouncilConfig | None) -> Branding:
    name = config.council.name.get("en") if config else FALLBACK_COUNCIL_NAME
    return Branding(
        council_name=name, service_name=SERVICE_NAME, service_url=reverse("console:home")
    )


def is_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in STAFF_ROLES)


def staff_only(view: View) -> View:
    """Signed-out people go to sign-in; signed-in non-staff (residents, API clients) get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("console:sign-in"))
        if not is_staff(request.user):
            raise PermissionDenied("The staff console is for council staff")
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def staff_menu(current: str, user: Any = None) -> list[dict[str, Any]]:
    items = []
    for name, label, key, permission in STAFF_MENU:
        if permission is not None and user is not None and not can(user, permission):
            continue
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"href": href, "text": label, "current": key == current})
    return items


def render_staff_page(
    request: HttpRequest,
    template_name: str,
    *,
    title: str,
    nav: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
    has_errors: bool = False,
) -> HttpResponse:
    """Render a console page: `title` is its h1; `nav` marks the current menu item."""
    config = council_or_none()
    return render_page(
        request,
        template_name,
        title=title,
        branding=staff_branding(config),
        context={"council": config, "staff_menu": staff_menu(nav, request.user), "nav_current": nav,
                 **(context or {})},
        status=status,
        has_errors=has_errors,
    )
