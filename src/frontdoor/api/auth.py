"""Who is calling: a partner system with an API key (Bearer) or a signed-in member of staff.

Each operation names the API key scope it needs; staff using the API from console pages are
held to their role and team checks by the domain actions instead, and to CSRF.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from frontdoor.accounts.actions import record_api_key_use
from frontdoor.accounts.models import STAFF_ROLES, ApiKey, User
from frontdoor.accounts.queries import authenticate_api_key
from frontdoor.api.rate_limits import take_token

STAFF_REQUESTS_PER_MINUTE = 600


@dataclass(frozen=True)
class Caller:
    user: User
    client: str  # "key:<id>" or "user:<id>": whose idempotency keys and webhooks these are
    key: ApiKey | None = None


def caller(request: HttpRequest) -> Caller:
    auth: Any = request.auth  # type: ignore[attr-defined]  # set by ninja's authentication
    assert isinstance(auth, Caller)
    return auth


class ApiKeyAuth(HttpBearer):
    """Authorization: Bearer <key> holding `scope`; counts against the key's rate limit."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        key = authenticate_api_key(raw_key=token, scope=self.scope)
        take_token(bucket=f"key:{key.pk}", per_minute=key.rate_limit_per_minute,
                   now=time.time())
        record_api_key_use(key=key, now=timezone.now())
        return Caller(user=key.owner, client=f"key:{key.pk}", key=key)


class StaffSessionAuth(APIKeyCookie):
    """A signed-in member of staff (session cookie); unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if key is not None and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header")
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = request.user
        if not (user.is_authenticated and user.is_active and user.role in STAFF_ROLES):
            return None
        take_token(bucket=f"user:{user.pk}", per_minute=STAFF_REQUESTS_PER_MINUTE,
                   now=time.time())
        return Caller(user=user, client=f"user:{user.pk}")


_SESSION = StaffSessionAuth()


def needs(scope: str) -> list[Any]:
    """The auth list for an operation: an API key with `scope`, or a staff session."""
    return [ApiKeyAuth(scope), _SESSION]
