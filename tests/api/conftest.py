"""Fixtures for REST API tests: keys with chosen scopes and a JSON client."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from frontdoor.accounts.actions import create_api_key
from frontdoor.accounts.models import API_SCOPES


class Api:
    """A test client that speaks JSON with one API key."""

    def __init__(self, raw_key: str | None) -> None:
        self.client = Client()
        self.raw_key = raw_key

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        out = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        if self.raw_key:
            out.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.raw_key}")
        return out

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, **self._headers(headers))

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(f"/api/v1{path}", json.dumps(body),
                                content_type="application/json", **self._headers(headers))

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", json.dumps(body),
                                 content_type="application/json", **self._headers(None))

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api/v1{path}", **self._headers(None))


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def api_for(council: Any) -> Callable[..., Api]:
    def make(*scopes: str, rate_limit_per_minute: int = 600) -> Api:
        _, raw = create_api_key(name="Partner system", scopes=list(scopes or API_SCOPES),
                                by=None, now=timezone.now(),
                                rate_limit_per_minute=rate_limit_per_minute)
        return Api(raw)
    return make


@pytest.fixture
def api(api_for: Callable[..., Api]) -> Api:
    """A key with every scope."""
    return api_for()
