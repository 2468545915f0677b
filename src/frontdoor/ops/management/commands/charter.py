"""`frontdoor charter due STANDARD --council PRESET|PATH --received ISO [--from ISO]`, `… show`.

Reads the council file directly (no database). Any bad input prints one line on stderr and
exits with status 2.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frontdoor.charter.deadlines import period_from_config
from frontdoor.charter.queries import due_for
from frontdoor.core.errors import FrontDoorError
from frontdoor.core.time import isoformat_london, parse_instant
from frontdoor.council.config import CouncilConfig, DeadlineStandard
from frontdoor.council.queries import read_council_file

BAD_INPUT = 2


def _applies_to(standard: Any) -> str:
    rules = standard.applies_to
    parts = [
        f"{label}: {', '.join(str(v) for v in values)}"
        for label, values in (
            ("channels", rules.channels),
            ("case types", rules.case_types),
            ("services", rules.services),
            ("stage", [rules.complaint_stage] if rules.complaint_stage else None),
        )
        if values
    ]
    return "; ".join(parts) or "everything"


def _target(standard: Any) -> str:
    if isinstance(standard, DeadlineStandard):
        return period_from_config(standard.period).describe()
    if standard.measure == "wait":
        return f"{standard.target_share:.0%} within {standard.within_seconds} s"
    return f"{standard.target_share:.0%} {standard.metric.replace('_', ' ')}"


def charter_rows(config: CouncilConfig) -> list[tuple[str, ...]]:
    """One row per standard: id, kind, target, calendar, runs from, applies to."""
    rows: list[tuple[str, ...]] = [("id", "kind", "target", "calendar", "runs from", "applies to")]
    for standard in config.charter.standards:
        calendar, runs_from = "-", "-"
        if isinstance(standard, DeadlineStandard):
            calendar, runs_from = standard.calendar, standard.runs_from
        rows.append(
            (
                standard.id,
                standard.kind,
                _target(standard),
                calendar,
                runs_from,
                _applies_to(standard),
            )
        )
    return rows


class Command(BaseCommand):
    help = "Work out charter deadlines from a council file, or show its charter."
    requires_system_checks: list[str] = []  # a calculator: no database, no checks

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        due = actions.add_parser("due", help="the deadline of a standard for a received time")
        due.add_argument("standard", metavar="STANDARD_ID")
        due.add_argument("--council", required=True, metavar="PRESET_OR_PATH")
        due.add_argument("--received", required=True, metavar="ISO_DATETIME")
        due.add_argument("--from", dest="event_at", metavar="ISO_DATETIME")
        show = actions.add_parser("show", help="the council's charter as a table")
        show.add_argument("--council", required=True, metavar="PRESET_OR_PATH")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "due":
                self.stdout.write(self._due(options))
            else:
                self.stdout.write(self._show(read_council_file(options["council"])))
        except FrontDoorError as exc:
            raise CommandError(" ".join(exc.message.split()), returncode=BAD_INPUT) from None

    def _due(self, options: dict[str, Any]) -> str:
        config = read_council_file(options["council"])
        received_at = parse_instant(options["received"], field="received")
        event_at = options.get("event_at")
        due = due_for(
            standard_id=options["standard"],
            config=config,
            received_at=received_at,
            event_at=parse_instant(event_at, field="from") if event_at else None,
        )
        return isoformat_london(due)

    def _show(self, config: CouncilConfig) -> str:
        rows = charter_rows(config)
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(line.rstrip() for line in lines)
