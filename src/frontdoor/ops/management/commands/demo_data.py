"""`frontdoor demo-data [--council PRESET] [--customers N] [--months M] [--seed 1]
[--end-date YYYY-MM-DD] [--append] [--quiet]`.

Fills the database with a realistic council: staff in the council's teams, customers in its
wards, contacts on every channel over the last M months, the cases they led to with charter
clocks and history. Volumes follow Thurrock's published figures scaled to the number of
customers (see `frontdoor.ops.demo_data`). Bulk inserts only (COPY on PostgreSQL).
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from frontdoor.contacts.bulk import any_contacts_exist
from frontdoor.core.errors import FrontDoorError
from frontdoor.core.time import london_now_date
from frontdoor.council.errors import CouncilNotLoaded
from frontdoor.council.queries import (
    config_of,
    current_council_version,
    read_council_file,
)
from frontdoor.customers.bulk import any_customers_exist
from frontdoor.ops.demo_data import DemoRequest, expected_contacts, write_demo_data

DEFAULT_CUSTOMERS = 2_000
DEFAULT_MONTHS = 6


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise ValueError("must be at least 1")
    return value


class Command(BaseCommand):
    help = "Generate a realistic council's customers, contacts, cases and clocks (bulk, fast)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--council", default=None,
            help="preset or TOML path the loaded council must match (default: the loaded one)",
        )
        parser.add_argument("--customers", type=_positive, default=DEFAULT_CUSTOMERS)
        parser.add_argument("--months", type=_positive, default=DEFAULT_MONTHS)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--end-date", type=date.fromisoformat, default=None,
            help="last day of the generated period, YYYY-MM-DD (default: today in London)",
        )
        parser.add_argument("--append", action="store_true",
                            help="add to existing customers and contacts instead of refusing")
        parser.add_argument("--quiet", action="store_true", help="no progress bars or summary")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            version = current_council_version()
        except CouncilNotLoaded:
            wanted = options["council"] or "north-norfolk"
            raise CommandError(
                f"No council is loaded: run `frontdoor council load {wanted}` first, "
                "then run demo-data again."
            ) from None
        config = config_of(version)
        if options["council"]:
            try:
                expected = read_council_file(options["council"])
            except FrontDoorError as exc:
                raise CommandError(exc.message) from None
            if expected.council.web_domain != config.council.web_domain:
                raise CommandError(
                    f"The loaded council is {config.council.name} "
                    f"({config.council.web_domain}), not {expected.council.name}: run "
                    f"`frontdoor council load {options['council']}` first."
                )
        if not options["append"] and (any_customers_exist() or any_contacts_exist()):
            raise CommandError(
                "This database already has customers or contacts: demo data would mix with "
                "them. Pass --append to add more, or start from an empty database."
            )
        now = timezone.now()
        request = DemoRequest(
            customers=options["customers"], months=options["months"], seed=options["seed"],
            end_date=options["end_date"] or london_now_date(now), now=now,
        )
        quiet = options["quiet"] or not sys.stderr.isatty()

        def progress(description: str, total: int) -> Any:
            return tqdm(total=total, desc=description, unit=" rows", disable=quiet,
                        file=sys.stderr)

        try:
            summary = write_demo_data(
                config=config, version_id=version.pk, request=request, progress=progress
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["quiet"]:
            return
        planned = sum(expected_contacts(request.customers, request.months).values())
        self.stdout.write(
            f"Demo data for {config.council.name}: {request.months} months to "
            f"{request.end_date:%d %B %Y}, seed {request.seed} "
            f"(about {planned:,} contacts planned)."
        )
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name:<18} {count:>10,}")
        rate = summary.counts["contacts"] / max(summary.seconds.get("contacts", 0.0), 1e-9)
        self.stdout.write(
            f"  took {summary.seconds['total']:.1f} s ({rate:,.0f} contacts/s with their cases)"
        )
