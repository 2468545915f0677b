"""Staff console: sign in, sign out and the console home (who you are, your role, your teams)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from frontdoor.accounts.models import STAFF_ROLES, Role
from frontdoor.accounts.queries import team_codes_for
from frontdoor.console.pages import (
    council_or_none,
    render_staff_page,
    staff_branding,
    staff_only,
)
from frontdoor.core.templating import page_context
from frontdoor.council.errors import UnknownCode


class StaffSignInForm(AuthenticationForm):
    """Email and password; only staff accounts may sign in to the console."""

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been switched off. Ask your system administrator.",
        "not_staff": "This sign-in is for council staff only",
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean_username(self) -> str:
        # Accounts store email addresses in lower case; people type them any way.
        return str(self.cleaned_data.get("username", "")).strip().lower()

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if user.role not in STAFF_ROLES:
            raise forms.ValidationError(self.error_messages["not_staff"], code="not_staff")


class SignInView(auth_views.LoginView):
    template_name = "console/sign_in.html"
    authentication_form = StaffSignInForm
    next_page = "console:home"  # a URL name: resolve_url looks it up
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        errors = _error_list(form)
        return page_context(
            self.request,
            title="Sign in",
            branding=staff_branding(council_or_none()),
            context={**context, "errors": errors, "field_errors": _field_errors(form)},
            has_errors=bool(errors),
        )


def _field_errors(form: forms.Form) -> dict[str, str]:
    return {name: str(form.errors[name][0]) for name in form.fields if name in form.errors}


def _error_list(form: forms.Form) -> list[dict[str, str]]:
    """GOV.UK error summary items: wrong email/password points at the email field."""
    items = [{"text": str(message), "href": "#username"} for message in form.non_field_errors()]
    items += [{"text": text, "href": f"#{name}"} for name, text in _field_errors(form).items()]
    return items


class SignOutView(auth_views.LogoutView):
    next_page = "console:sign-in"


@require_safe
@staff_only
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    config = council_or_none()
    teams = []
    for code in sorted(team_codes_for(user)):
        try:
            name = config.team(code).name.get("en") if config else code
        except UnknownCode:
            name = f"{code} (not in the current configuration)"
        teams.append(name)
    return render_staff_page(
        request,
        "console/home.html",
        title="Staff console",
        nav="home",
        context={"role": Role(user.role).label, "teams": teams},  # type: ignore[union-attr]
    )
