"""Charter: bulk import for legacy-system migration and demo data: no per-row events.

The caller computes each clock with the charter engine (`deadlines.clock_due` over
`calendar.calendars_for(config)`) and passes the result; this module only writes rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from frontdoor.charter.models import Clock
from frontdoor.core.bulk import import_mappings


def import_clocks(rows: Iterable[Mapping[str, Any]]) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events.

    Each row needs case_id, standard_id, snapshot (`Standard.to_snapshot()`), calendar_kind,
    clock_name, received_at, started_at, due_at and updated_at; a stopped clock also
    stopped_at and outcome ("met" when stopped at or before due_at, else "missed").
    """
    return import_mappings(Clock, rows)
