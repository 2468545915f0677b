"""Charter test helpers: the north-norfolk preset (read from the file, no database) and variants."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

import pytest

from frontdoor.charter.calendar import calendars_for
from frontdoor.charter.deadlines import Standard, clock_due, standard_from_config
from frontdoor.core.time import isoformat_london, parse_instant
from frontdoor.council.config import ClosureDay, CouncilConfig, Text
from frontdoor.council.queries import read_council_file
from tests.council.fixtures import council  # noqa: F401  (the database-loaded preset)


@pytest.fixture(scope="session")
def north_norfolk() -> CouncilConfig:
    return read_council_file("north-norfolk")


def in_nation(config: CouncilConfig, nation: str) -> CouncilConfig:
    """The same council as if it were in another UK nation."""
    return config.model_copy(
        update={"council": config.council.model_copy(update={"nation": nation})}
    )


def with_closures(config: CouncilConfig, days: Iterable[date]) -> CouncilConfig:
    """The same council with extra closure days."""
    closures = [ClosureDay(date=day, reason=Text(en="Offices closed")) for day in days]
    calendar = config.calendar.model_copy(
        update={"closure_days": [*config.calendar.closure_days, *closures]}
    )
    return config.model_copy(update={"calendar": calendar})


def due(config: CouncilConfig, standard_id: str, received: str, event: str | None = None) -> str:
    """A standard's deadline as the CLI prints it (received time in London if no offset)."""
    standard = standard_from_config(config, standard_id)
    result = clock_due(
        standard,
        calendars_for(config),
        received_at=parse_instant(received),
        event_at=parse_instant(event) if event else None,
    )
    return isoformat_london(result.at)


def standard(config: CouncilConfig, standard_id: str) -> Standard:
    return standard_from_config(config, standard_id)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]
