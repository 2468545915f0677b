"""Reusable council fixtures for every test area (the lead registers them in tests/conftest.py).

    from tests.council.fixtures import council  # noqa: F401  (or pytest_plugins)

`council` loads the `north-norfolk` preset into the test database as the current version and
returns its configuration; the accessor cache is forgotten before and after, so no test sees
another test's council.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from frontdoor.council.actions import load_council_config
from frontdoor.council.config import CouncilConfig
from frontdoor.council.queries import config_of, forget_council_cache

PRESET = "north-norfolk"


@pytest.fixture
def council(db: None, now: datetime) -> Iterator[CouncilConfig]:
    """The north-norfolk preset, loaded as the current council configuration."""
    forget_council_cache()
    version = load_council_config(source=PRESET, now=now)
    forget_council_cache()  # the test's transaction never commits: treat the load as committed
    yield config_of(version)
    forget_council_cache()
