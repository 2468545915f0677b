"""Track a request as a guest, with the private link the confirmation page gave: the same
request page as My Account shows, reached by the token instead of a signed-in account."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from frontdoor.cases.models import Case
from frontdoor.cases.portal_access import case_for_tracking_token, request_details
from frontdoor.core.errors import NotFound
from frontdoor.portal.account import (
    add_information_view,
    feedback_links,
    file_download,
    lang_of,
    render_account_page,
    reopen_view,
    request_links,
)


def _tracked(token: str) -> Case:
    try:
        return case_for_tracking_token(token)
    except NotFound:
        raise Http404("No such request") from None


def _links(token: str) -> dict[str, str]:
    return request_links(base=reverse("portal:track", args=[token]))


@require_safe
def track(request: HttpRequest, token: str) -> HttpResponse:
    case = _tracked(token)
    response = render_account_page(
        request, "portal/track/request.html",
        title=_("Request %(reference)s") % {"reference": case.reference},
        context={"details": request_details(case, lang=lang_of(request), now=timezone.now()),
                 "links": _links(token), "feedback": feedback_links(case, token=token),
                 "guest": True},
    )
    # The link is the key to the request: keep it out of other sites' logs and caches.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def track_add_information(request: HttpRequest, token: str) -> HttpResponse:
    return add_information_view(request, _tracked(token), token, _links(token))


@require_http_methods(["GET", "POST"])
def track_reopen(request: HttpRequest, token: str) -> HttpResponse:
    return reopen_view(request, _tracked(token), token, _links(token))


@require_safe
def track_file(request: HttpRequest, token: str, attachment_id: int) -> HttpResponseBase:
    return file_download(_tracked(token), token, attachment_id)
