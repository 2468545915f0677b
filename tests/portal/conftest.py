from __future__ import annotations

import pytest

from frontdoor.council.config import CouncilConfig


@pytest.fixture
def north_norfolk(council: CouncilConfig) -> CouncilConfig:
    """Pages read the North Norfolk preset, loaded as the current council."""
    return council
