from __future__ import annotations

import pytest

from frontdoor.council.config import CouncilConfig
from frontdoor.council.queries import read_council_file


@pytest.fixture
def north_norfolk(monkeypatch: pytest.MonkeyPatch) -> CouncilConfig:
    """Pages read the North Norfolk preset as the current council (no database version needed)."""
    config = read_council_file("north-norfolk")
    monkeypatch.setattr("frontdoor.portal.pages.current_council", lambda: config)
    monkeypatch.setattr("frontdoor.console.views.current_council", lambda: config)
    return config
