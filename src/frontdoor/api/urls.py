"""REST API URLs: include with path("api/v1/", include("frontdoor.api.urls"))."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path

from frontdoor.api.errors import error_body
from frontdoor.api.v1 import api


def unknown_endpoint(request: HttpRequest, rest: str = "") -> JsonResponse:
    return JsonResponse(error_body(None, "not_found", "There is no such API endpoint"),
                        status=404)


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown_endpoint),
]
