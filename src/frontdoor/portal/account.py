"""My Account: register, confirm the email, sign in and out, reset a password, the account's
requests, profile, preferences, sharing consents and subscriptions; the language switcher.

Every view parses the form, calls one action or query, and renders. Pages work without
JavaScript; errors follow the GOV.UK pattern (an error summary linking to each field and
"Error: " in the title).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from frontdoor.accounts.actions import (
    register_resident,
    request_password_reset,
    reset_password,
    sign_in_resident,
    user_for_password_reset,
)
from frontdoor.accounts.errors import InvalidInputs
from frontdoor.accounts.models import User
from frontdoor.accounts.queries import resident_account_of
from frontdoor.cases.assisted_digital import invited_email
from frontdoor.cases.models import Case
from frontdoor.cases.portal_access import (
    MAX_FILES,
    Access,
    add_information,
    attachment_for,
    case_for_account,
    change_my_address,
    reopen_by_resident,
    request_details,
    requests_for_account,
)
from frontdoor.cases.uploads import MAX_UPLOAD_BYTES
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.core.templating import render_page
from frontdoor.customers.models import AlternativeFormat, PreferredChannel
from frontdoor.customers.self_service import (
    RESIDENT_CHANNELS,
    RESIDENT_FORMATS,
    RESIDENT_TOPICS,
    confirm_account_email,
    my_profile,
    my_subscriptions,
    resident_topics,
    set_my_preferences,
    set_my_sharing,
    set_my_subscriptions,
    update_my_details,
)
from frontdoor.feedback.queries import may_escalate
from frontdoor.notifications.actions import unsubscribe
from frontdoor.portal.pages import council_or_none, resident_branding

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


# ----------------------------------------------------------------------------- helpers


def lang_of(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "en") or "en"


def render_account_page(
    request: HttpRequest,
    template: str,
    *,
    title: str,
    context: dict[str, Any] | None = None,
    errors: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """A resident page in the portal layout; with errors, the GOV.UK error pattern."""
    config = council_or_none()
    lang = lang_of(request)
    field_errors: dict[str, str] = {}
    for item in errors or []:
        field_errors.setdefault(item["href"].lstrip("#"), item["text"])
    return render_page(
        request, template, title=title, branding=resident_branding(config, lang),
        context={"council": config, "lang": lang, "errors": errors or [],
                 "field_errors": field_errors, "nav_current": "account", **(context or {})},
        has_errors=bool(errors), status=status if not errors else 400,
    )


def error_items(problem: InvalidInput) -> list[dict[str, str]]:
    """GOV.UK error summary items, each linking to the field it is about."""
    problems = problem.errors if isinstance(problem, InvalidInputs) else [problem]
    return [{"text": p.message, "href": f"#{p.field or 'main-content'}"} for p in problems]


def public_url(request: HttpRequest, path: str) -> str:
    """An absolute link for an email: FRONTDOOR_PUBLIC_URL when set, else this request's host."""
    base = os.environ.get("FRONTDOOR_PUBLIC_URL", "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def _confirm_url(request: HttpRequest) -> Callable[[str], str]:
    return lambda token: public_url(request, reverse("portal:account-confirm-email",
                                                     args=[token]))


def _client_address(request: HttpRequest) -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (never trust X-Forwarded-For blindly).
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def resident_only(view: View) -> View:
    """Signed-out people go to sign in; staff and API clients get 403; others see the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:account-sign-in"))
        if resident_account_of(request.user) is None:
            raise PermissionDenied("My Account is for residents")
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _me(request: HttpRequest) -> User:
    """The signed-in resident (views behind `resident_only`)."""
    return cast(User, request.user)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _post(request: HttpRequest, name: str) -> str:
    return str(request.POST.get(name, ""))


# ---------------------------------------------------------------- registering, signing in


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if resident_account_of(request.user) is not None:
        return HttpResponseRedirect(reverse("portal:account-home"))
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            register_resident(
                email=_post(request, "email"), password=_post(request, "password"),
                given_name=_post(request, "given_name"), family_name=_post(request, "family_name"),
                confirm_url=_confirm_url(request),
                sign_in_url=public_url(request, reverse("portal:account-sign-in")),
                now=timezone.now(),
            )
        except InvalidInput as problem:
            errors = error_items(problem)
        else:
            request.session["registered_email"] = _post(request, "email").strip().lower()
            return HttpResponseRedirect(reverse("portal:account-check-email"))
    return render_account_page(
        request, "portal/account/register.html", title=_("Create an account"), errors=errors,
        context={"form": request.POST if request.method == "POST" else _invited(request)},
    )


def _invited(request: HttpRequest) -> dict[str, str]:
    # Staff who helped a customer may email them a link with their address filled in
    # (cases.assisted_digital); the address can still be changed, and nothing is linked.
    email = invited_email(request.GET.get("invitation", ""))
    return {"email": email} if email else {}


@require_safe
def check_email(request: HttpRequest) -> HttpResponse:
    return render_account_page(
        request, "portal/account/check_email.html", title=_("Check your email"),
        context={"email": request.session.get("registered_email", "")},
    )


@require_safe
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        confirm_account_email(token=token, now=timezone.now())
    except InvalidInput as problem:
        return render_account_page(
            request, "portal/account/link_problem.html",
            title=_("There is a problem with this link"),
            context={"message": problem.message}, status=400,
        )
    return render_account_page(request, "portal/account/email_confirmed.html",
                               title=_("Email address confirmed"))


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    home = reverse("portal:account-home")
    if resident_account_of(request.user) is not None:
        return HttpResponseRedirect(_safe_next(request, home))
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            user = sign_in_resident(
                email=_post(request, "email"), password=_post(request, "password"),
                ip=_client_address(request), confirm_url=_confirm_url(request),
                now=timezone.now(),
            )
        except InvalidInput as problem:
            errors = error_items(problem)
        else:
            login(request, user)
            return HttpResponseRedirect(_safe_next(request, home))
    return render_account_page(
        request, "portal/account/sign_in.html", title=_("Sign in to your account"),
        errors=errors,
        context={"form": request.POST, "next": _safe_next(request, "")},
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(reverse("portal:account-signed-out"))


@require_safe
def signed_out(request: HttpRequest) -> HttpResponse:
    return render_account_page(request, "portal/account/signed_out.html",
                               title=_("You have signed out"))


@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            request_password_reset(
                email=_post(request, "email"),
                reset_url=lambda uid, token: public_url(
                    request, reverse("portal:account-reset-password", args=[uid, token])),
                now=timezone.now(),
            )
        except InvalidInput as problem:
            errors = error_items(problem)
        else:
            return HttpResponseRedirect(reverse("portal:account-reset-sent"))
    return render_account_page(request, "portal/account/forgot_password.html",
                               title=_("Reset your password"), errors=errors,
                               context={"form": request.POST})


@require_safe
def reset_sent(request: HttpRequest) -> HttpResponse:
    return render_account_page(request, "portal/account/reset_sent.html",
                               title=_("Check your email"))


@require_http_methods(["GET", "POST"])
def reset_password_page(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    errors: list[dict[str, str]] = []
    now = timezone.now()
    try:
        if request.method == "POST":
            reset_password(uid=uid, token=token, password=_post(request, "password"), now=now)
            return render_account_page(request, "portal/account/password_changed.html",
                                       title=_("Your password has been changed"))
        user_for_password_reset(uid=uid, token=token, now=now)
    except InvalidInput as problem:
        if problem.field == "token":
            return render_account_page(
                request, "portal/account/link_problem.html",
                title=_("There is a problem with this link"),
                context={"message": problem.message, "reset": True}, status=400,
            )
        errors = error_items(problem)
    return render_account_page(request, "portal/account/reset_password.html",
                               title=_("Create a new password"), errors=errors)


# ------------------------------------------------------------------------- the account


@require_safe
@resident_only
def home(request: HttpRequest) -> HttpResponse:
    return render_account_page(
        request, "portal/account/home.html", title=_("Your account"),
        context={"requests": requests_for_account(_me(request), lang=lang_of(request))[:3],
                 "profile": my_profile(_me(request))},
    )


@require_safe
@resident_only
def requests_list(request: HttpRequest) -> HttpResponse:
    return render_account_page(
        request, "portal/account/requests.html", title=_("Your requests"),
        context={"requests": requests_for_account(_me(request),
                                                  lang=lang_of(request))},
    )


def _own_case(request: HttpRequest, reference: str) -> Case:
    try:
        return case_for_account(_me(request), reference)
    except NotFound:
        raise Http404("No such request") from None


def request_links(*, base: str) -> dict[str, str]:
    """Where a request page's forms and files live (My Account or a guest's tracking link)."""
    return {"page": base, "add": f"{base}add-information/", "reopen": f"{base}reopen/",
            "files": f"{base}files/"}


def feedback_links(case: Case, *, token: str = "") -> dict[str, str]:
    """Where the resident gives feedback about the request and, once a stage 1 complaint has
    had its response, asks for a review (by reference in My Account, by the private link for
    guests, who have no account to check)."""
    about = urlencode({"track": token} if token else {"case": case.reference})
    links = {"give": f"{reverse('portal:feedback')}?{about}"}
    if may_escalate(case):
        links["review"] = (reverse("portal:feedback-review-link", args=[token]) if token
                           else reverse("portal:feedback-review", args=[case.reference]))
    return links


@require_safe
@resident_only
def request_page(request: HttpRequest, reference: str) -> HttpResponse:
    case = _own_case(request, reference)
    details = request_details(case, lang=lang_of(request), now=timezone.now())
    return render_account_page(
        request, "portal/track/request.html",
        title=_("Request %(reference)s") % {"reference": case.reference},
        context={"details": details, "links": request_links(
            base=reverse("portal:account-request", args=[case.reference])),
            "feedback": feedback_links(case), "back": reverse("portal:account-requests")},
    )


def uploaded_files(request: HttpRequest) -> list[tuple[str, bytes]]:
    """The chosen files, each read only up to one byte past the size limit."""
    return [(f.name or "file", f.read(MAX_UPLOAD_BYTES + 1))
            for f in request.FILES.getlist("files")[: MAX_FILES + 1]]


def add_information_view(request: HttpRequest, case: Case, access: Access,
                         links: dict[str, str]) -> HttpResponse:
    """Shared by My Account and the guest tracking page."""
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            add_information(case=case, text=_post(request, "information"),
                            files=uploaded_files(request), account_or_token=access,
                            now=timezone.now())
        except InvalidInput as problem:
            errors = error_items(problem)
        else:
            return HttpResponseRedirect(links["page"] + "?added=1")
    return render_account_page(
        request, "portal/track/add_information.html",
        title=_("Add information to your request"), errors=errors,
        context={"case": case, "links": links, "form": request.POST, "max_files": MAX_FILES},
    )


def reopen_view(request: HttpRequest, case: Case, access: Access,
                links: dict[str, str]) -> HttpResponse:
    """Shared by My Account and the guest tracking page."""
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            reopen_by_resident(case=case, reason=_post(request, "reason"),
                               account_or_token=access, now=timezone.now())
        except InvalidInput as problem:
            errors = error_items(problem)
        else:
            return HttpResponseRedirect(links["page"] + "?reopened=1")
    return render_account_page(
        request, "portal/track/reopen.html", title=_("Reopen your request"), errors=errors,
        context={"case": case, "links": links, "form": request.POST},
    )


def file_download(case: Case, access: Access, attachment_id: int) -> HttpResponseBase:
    """A file on the case, only for someone who reaches the case (never a public URL)."""
    try:
        attachment = attachment_for(access, case, attachment_id)
    except NotFound:
        raise Http404("No such file") from None
    response = FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@resident_only
def request_add_information(request: HttpRequest, reference: str) -> HttpResponse:
    case = _own_case(request, reference)
    return add_information_view(request, case, _me(request),
                                request_links(base=reverse("portal:account-request",
                                                           args=[case.reference])))


@require_http_methods(["GET", "POST"])
@resident_only
def request_reopen(request: HttpRequest, reference: str) -> HttpResponse:
    case = _own_case(request, reference)
    return reopen_view(request, case, _me(request),
                       request_links(base=reverse("portal:account-request",
                                                  args=[case.reference])))


@require_safe
@resident_only
def request_file(request: HttpRequest, reference: str, attachment_id: int) -> HttpResponseBase:
    return file_download(_own_case(request, reference), _me(request), attachment_id)


# ----------------------------------------------------------------------------- profile


@require_safe
@resident_only
def profile(request: HttpRequest) -> HttpResponse:
    council = council_or_none()
    lang = lang_of(request)
    service_names = {s.code: s.name.get(lang) for s in council.services} if council else {}
    current = my_profile(_me(request))
    format_names = dict(AlternativeFormat.choices)
    return render_account_page(
        request, "portal/account/profile.html", title=_("Your details and preferences"),
        context={"profile": current,
                 "channel_names": dict(PreferredChannel.choices),
                 "format_labels": [_(str(format_names.get(f, f)))
                                   for f in current.customer.alternative_formats or []],
                 "tell_us_once_names": [service_names.get(code, code)
                                        for code in current.tell_us_once_services],
                 "saved": request.GET.get("saved") == "1"},
    )


@require_http_methods(["GET", "POST"])
@resident_only
def profile_details(request: HttpRequest) -> HttpResponse:
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            update_my_details(account=_me(request),
                              given_name=_post(request, "given_name"),
                              family_name=_post(request, "family_name"),
                              phone=_post(request, "phone"), now=timezone.now())
        except InvalidInput as problem:
            errors = error_items(problem)
        else:
            return HttpResponseRedirect(reverse("portal:account-profile") + "?saved=1")
    current = my_profile(_me(request))
    form = request.POST if request.method == "POST" else {
        "given_name": current.customer.given_name, "family_name": current.customer.family_name,
        "phone": current.phones[0].e164 if current.phones else "",
    }
    return render_account_page(request, "portal/account/profile_details.html",
                               title=_("Your name and phone number"), errors=errors,
                               context={"form": form})


@require_http_methods(["GET", "POST"])
@resident_only
def profile_address(request: HttpRequest) -> HttpResponse:
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            change = change_my_address(
                account=_me(request),
                line1=_post(request, "line1"), line2=_post(request, "line2"),
                town=_post(request, "town"), postcode=_post(request, "postcode"),
                now=timezone.now())
        except InvalidInput as problem:
            errors = error_items(problem)
        else:
            request.session["told_teams"] = len(change.told)
            return HttpResponseRedirect(reverse("portal:account-profile") + "?saved=1")
    return render_account_page(
        request, "portal/account/profile_address.html", title=_("Your new address"),
        errors=errors, context={"form": request.POST,
                                "profile": my_profile(_me(request))},
    )


@require_http_methods(["GET", "POST"])
@resident_only
def preferences(request: HttpRequest) -> HttpResponse:
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            set_my_preferences(account=_me(request),
                               preferred_channel=_post(request, "preferred_channel"),
                               preferred_language=_post(request, "preferred_language"),
                               alternative_formats=request.POST.getlist("alternative_formats"),
                               now=timezone.now())
        except InvalidInput as problem:
            errors = error_items(problem)
        else:
            return HttpResponseRedirect(reverse("portal:account-profile") + "?saved=1")
    customer = my_profile(_me(request)).customer
    chosen = {
        "preferred_channel": _post(request, "preferred_channel") if errors
        else customer.preferred_channel,
        "preferred_language": _post(request, "preferred_language") if errors
        else customer.preferred_language,
        "alternative_formats": request.POST.getlist("alternative_formats") if errors
        else list(customer.alternative_formats or []),
    }
    return render_account_page(
        request, "portal/account/preferences.html", title=_("How we contact you"),
        errors=errors,
        context={"chosen": chosen, "channels": RESIDENT_CHANNELS, "formats": RESIDENT_FORMATS,
                 "channel_names": dict(PreferredChannel.choices),
                 "format_names": dict(AlternativeFormat.choices)},
    )


@require_http_methods(["GET", "POST"])
@resident_only
def sharing(request: HttpRequest) -> HttpResponse:
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            set_my_sharing(account=_me(request),
                           share_between_services=_post(request, "share") == "yes",
                           tell_us_once_services=request.POST.getlist("tell_us_once"),
                           now=timezone.now())
        except InvalidInput as problem:
            errors = error_items(problem)
        else:
            return HttpResponseRedirect(reverse("portal:account-profile") + "?saved=1")
    current = my_profile(_me(request))
    council = council_or_none()
    lang = lang_of(request)
    services = sorted(((s.code, s.name.get(lang)) for s in council.services
                       if s.provided_by is None), key=lambda s: s[1].casefold()) if council else []
    return render_account_page(
        request, "portal/account/sharing.html", title=_("Sharing your details"), errors=errors,
        context={"share": current.share_between_services,
                 "chosen": set(current.tell_us_once_services), "services": services},
    )


@require_http_methods(["GET", "POST"])
@resident_only
def subscriptions(request: HttpRequest) -> HttpResponse:
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            set_my_subscriptions(account=_me(request),
                                 topic_codes=request.POST.getlist("topics"), now=timezone.now())
        except InvalidInput as problem:
            errors = error_items(problem)
        else:
            return HttpResponseRedirect(reverse("portal:account-subscriptions") + "?saved=1")
    topics = resident_topics()
    return render_account_page(
        request, "portal/account/subscriptions.html", title=_("Email updates"), errors=errors,
        context={"topics": topics, "topic_names": topic_names(),
                 "chosen": my_subscriptions(_me(request)),
                 "saved": request.GET.get("saved") == "1"},
    )


def topic_names() -> dict[str, str]:
    """Topic names in the page's language (the English ones are in RESIDENT_TOPICS)."""
    translated = {
        "bin-collection-changes": _("Bin collection changes"),
        "council-meetings": _("Council meetings"),
        "flood-warnings": _("Flood warnings"),
        "consultations": _("Consultations"),
    }
    return {code: translated.get(code, name) for code, name in RESIDENT_TOPICS}


@require_http_methods(["GET", "POST"])
def unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    # GET only asks: mail scanners follow links, and must not unsubscribe anyone.
    if request.method == "POST":
        try:
            subscription = unsubscribe(token=token, now=timezone.now())
        except NotFound:
            raise Http404("This unsubscribe link is not valid") from None
        name = topic_names().get(subscription.topic.code, subscription.topic.name)
        return render_account_page(request, "portal/account/unsubscribed.html",
                                   title=_("You have unsubscribed"),
                                   context={"topic_name": name})
    return render_account_page(request, "portal/account/unsubscribe.html",
                               title=_("Stop these emails"))


# ------------------------------------------------------------------------------ language


@require_safe
def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """English or Cymraeg: remember the choice in a cookie and go back to the page."""
    if code not in {"en-gb", "cy"}:
        raise Http404("No such language")
    target = _safe_next(request, reverse("portal:home"))
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600,
                        samesite="Lax", httponly=False)
    translation.activate(code)
    return response
