"""`frontdoor council load|validate PATH|PRESET`, `frontdoor council show`, `… presets`.

A bad file prints one line on stderr and exits with status 2; nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from frontdoor.cases.council_changes import adopt_council_config
from frontdoor.core.time import isoformat_london
from frontdoor.council.config import CouncilConfig
from frontdoor.council.errors import CouncilConfigError, CouncilNotLoaded
from frontdoor.council.queries import (
    config_of,
    current_council_version,
    preset_names,
    read_council_file,
)

BAD_FILE = 2


def _summary(config: CouncilConfig) -> str:
    return (
        f"{config.council.name} ({config.council.reference_prefix}): "
        f"{len(config.offices)} offices, {len(config.wards)} wards, {len(config.teams)} teams, "
        f"{len(config.services)} services, {len(config.charter.standards)} charter standards"
    )


class Command(BaseCommand):
    help = "Load, validate or show the council configuration (a preset name or a TOML path)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("load", help="validate a file and make it the current version")
        load.add_argument("source", metavar="PATH|PRESET")
        validate = actions.add_parser("validate", help="check a file without storing it")
        validate.add_argument("source", metavar="PATH|PRESET")
        actions.add_parser("show", help="the current version and what it holds")
        actions.add_parser("presets", help="the presets shipped with Front Door")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "presets":
            self.stdout.write("\n".join(preset_names()))
        elif action == "show":
            self._show()
        else:
            try:
                self._load_or_validate(action, options["source"])
            except CouncilConfigError as exc:
                raise CommandError(exc.message, returncode=BAD_FILE) from None

    def _load_or_validate(self, action: str, source: str) -> None:
        if action == "validate":
            config = read_council_file(source)
            self.stdout.write(f"{source}: valid. {_summary(config)}")
            return
        adoption = adopt_council_config(source=source, now=timezone.now())
        version = adoption.version
        if adoption.changed:
            moved = (
                f" {adoption.clocks_recomputed} open deadlines moved with the new calendar."
                if adoption.clocks_recomputed
                else ""
            )
            self.stdout.write(
                f"Loaded {source} as council configuration version {version.number}. "
                f"{_summary(config_of(version))}{moved}"
            )
        else:
            self.stdout.write(
                f"{source} is the same as the current version {version.number}: nothing changed."
            )

    def _show(self) -> None:
        try:
            version = current_council_version()
        except CouncilNotLoaded as exc:
            raise CommandError(exc.message, returncode=1) from None
        self.stdout.write(
            f"Council configuration version {version.number} (current)\n"
            f"  source:    {version.source}\n"
            f"  loaded at: {isoformat_london(version.loaded_at)}"
            + (f" by {version.loaded_by}" if version.loaded_by_id else "")
            + f"\n  checksum:  {version.checksum[:12]}\n"
            f"  {_summary(config_of(version))}"
        )
