"""One error body for every API failure: {"errors": [{"field", "code", "message"}]}.

FrontDoorError subclasses map to statuses here (InvalidInput 422, NotFound 404, Forbidden 403
or 401 for a missing/unknown/revoked key, Conflict 409); request validation is 422, a body
that is not JSON 400, too many requests 429 with Retry-After. Nothing a client sends is a 500.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from frontdoor.core.errors import Conflict, Forbidden, FrontDoorError, InvalidInput, NotFound

# Forbidden codes that mean "who are you?" rather than "you may not".
UNAUTHENTICATED_CODES = frozenset({"missing_key", "unknown_key", "revoked_key"})


class ErrorItem(Schema):
    field: str | None
    code: str
    message: str


class ErrorBody(Schema):
    errors: list[ErrorItem]


class RateLimited(Exception):
    """The client used up its requests for now; try again after `retry_after` seconds."""

    def __init__(self, retry_after: float, limit: int):
        super().__init__(f"rate limit {limit}/min")
        self.retry_after = retry_after
        self.limit = limit


ERROR_STATUSES = (400, 401, 403, 404, 409, 422, 429)
ERROR_RESPONSES: dict[int, Any] = dict.fromkeys(ERROR_STATUSES, ErrorBody)


def error_body(field: str | None, code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"field": field, "code": code, "message": message}]}


def _status_of(error: FrontDoorError) -> int:
    if isinstance(error, InvalidInput):
        return 422
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Forbidden):
        return 401 if error.code in UNAUTHENTICATED_CODES else 403
    if isinstance(error, Conflict):
        return 409
    return 400


def _field_of(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or "body"


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default error responses with Front Door's error body."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def frontdoor_error(request: HttpRequest, exc: FrontDoorError) -> HttpResponse:
        status = _status_of(exc)
        response = respond(request, status, error_body(exc.field, exc.code, exc.message))
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="frontdoor"'
        return response

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        items = [
            {"field": _field_of(e.get("loc", ())), "code": str(e.get("type", "invalid")),
             "message": str(e.get("msg", "Invalid value"))}
            for e in exc.errors
        ]
        return respond(request, 422, {"errors": items})

    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, 401, error_body(
            None, "unauthenticated",
            "Send Authorization: Bearer <API key>, or sign in as staff"))
        response["WWW-Authenticate"] = 'Bearer realm="frontdoor"'
        return response

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "not_allowed"}
        return respond(request, exc.status_code,
                       error_body(None, codes.get(exc.status_code, "error"), exc.message))

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body(None, "not_found", "Not found"))

    def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        response = respond(request, 429, error_body(
            None, "rate_limited",
            f"Too many requests: this key may make {exc.limit} a minute. "
            "Wait for the Retry-After seconds, then try again."))
        response["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
        return response

    # ninja's annotation wants handlers that also accept the class; ours take the instance.
    handlers: list[tuple[type[Exception], Any]] = [
        (FrontDoorError, frontdoor_error),
        (ValidationError, validation_error),
        (AuthenticationError, authentication_error),
        (HttpError, http_error),
        (Http404, not_found),
        (RateLimited, rate_limited),
    ]
    for exception, handler in handlers:
        api.add_exception_handler(exception, handler)
