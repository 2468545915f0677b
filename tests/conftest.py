"""Shared fixtures. Unit tests run on SQLite and again on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from django.db import connection

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright + live_server


@pytest.fixture
def now() -> datetime:
    """A fixed instant so tests never depend on the wall clock (Monday 5 Jan 2026, 10:00 UTC)."""
    return datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


# Browser tests drive Debian's Chromium (never `playwright install`: no browser downloads here).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session", autouse=True)
def _urls_loaded_before_any_clock_is_frozen() -> None:
    """Import every URLconf once, up front. Some modules build pydantic models from `date` at
    import time; if the first import happened inside freezegun's freeze_time, they would be
    built from freezegun's fake date class and later requests would fail."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (the import is the point)


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    vendor = connection.settings_dict["ENGINE"].rsplit(".", 1)[-1]
    for item in items:
        if vendor != "postgresql" and (
            item.get_closest_marker("postgres") or item.get_closest_marker("browser")
        ):
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL pass")
            )


from tests.council.fixtures import council  # noqa: E402,F401  (loads north-norfolk into the test DB)
