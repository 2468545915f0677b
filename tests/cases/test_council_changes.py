"""A closure day added to the council file moves open deadlines and queue order, not promises."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import frontdoor.council
from frontdoor.audit.models import AuditEntry
from frontdoor.cases.council_changes import adopt_council_config
from frontdoor.council.queries import forget_council_cache
from tests.cases.factories import open_waste_case

PRESET = Path(frontdoor.council.__file__).parent / "presets"


def _with_closure(tmp_path: Path, day: str) -> str:
    text = (PRESET / "north-norfolk.toml").read_text()
    marker = "closure_days = []"
    assert marker in text, "the preset declares no closure days"
    path = tmp_path / "north-norfolk.toml"
    path.write_text(text.replace(
        marker, f'closure_days = [{{ date = {day}, reason = "Office move" }}]'))
    return str(path)


def test_a_new_closure_day_moves_open_deadlines_and_keeps_the_date_told_to_the_customer(
    council, agent, now, tmp_path
):
    case = open_waste_case(by=agent, now=now)  # email: due Monday 12 January 17:00
    promised = case.promised_at
    assert case.due_at == datetime(2026, 1, 12, 17, tzinfo=UTC)

    adoption = adopt_council_config(source=_with_closure(tmp_path, "2026-01-08"), now=now)
    forget_council_cache()

    case.refresh_from_db()
    assert adoption.changed and adoption.clocks_recomputed == 1
    assert adoption.cases_reordered == 1
    assert case.due_at == datetime(2026, 1, 13, 17, tzinfo=UTC)  # one working day later
    assert case.promised_at == promised
    assert AuditEntry.objects.filter(action="council.loaded").count() == 1


def test_loading_the_same_file_again_changes_nothing(council, now):
    adoption = adopt_council_config(source="north-norfolk", now=now)
    assert not adoption.changed
    assert adoption.clocks_recomputed == 0
    assert AuditEntry.objects.filter(action="council.loaded").count() == 0
