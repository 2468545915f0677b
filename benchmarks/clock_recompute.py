"""Benchmark: recompute 200,000 open charter clocks after a closure day is added (< 5 s target).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/clock_recompute.py --clocks 200000 [--repeat 3] [--keep]

Creates its own database (fd_bench_clocks on the DATABASE_URL server), migrates, loads the
north-norfolk preset, inserts N cases with one open clock each (a mix of standards, received
over the three weeks before "now"), then `--repeat` times loads a new configuration version
with one more closure day through `adopt_council_config` and times it (load + recompute +
write-back + commit). Prints rows changed and seconds per run, and the median. The database
is dropped at the end unless --keep.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _scratch_db import drop_database, recreate_database, with_database

BENCH_DATABASE = "fd_bench_clocks"
NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)  # Monday 11 January 2027
# Each run closes one more day in the week most open clocks fall due in.
CLOSURE_DAYS = [date(2027, 1, 13), date(2027, 1, 14), date(2027, 1, 15), date(2027, 1, 18)]
STANDARD_MIX = [
    ("written-reply", "enquiry", "email", None, 60),
    ("callback", "callback", "phone", None, 15),
    ("complaint-ack", "complaint", "email", 1, 5),
    ("complaint-response", "complaint", "email", 1, 5),
    ("complaint-stage2-response", "complaint", "email", 2, 5),
    ("foi-response", "foi", "email", None, 10),  # statutory: left alone by the recompute
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clocks", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    if args.repeat > len(CLOSURE_DAYS):
        sys.exit(f"--repeat is at most {len(CLOSURE_DAYS)}")
    bench_url = with_database(server_url, BENCH_DATABASE)
    recreate_database(server_url, BENCH_DATABASE)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdoor.settings")
    try:
        _run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(server_url, BENCH_DATABASE)


def _run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from frontdoor.charter.actions import adopt_council_config
    from frontdoor.council.actions import load_council_config

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_council_config(source="north-norfolk", now=NOW - timedelta(days=30))
    _insert_cases_and_clocks(args.clocks, random.Random(args.seed))
    print(f"setup: {args.clocks:,} cases and open clocks in {time.perf_counter() - started:.1f} s")

    timings = []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.repeat):
            source = _council_file(Path(folder), CLOSURE_DAYS[: run + 1])
            began = time.perf_counter()
            version, changed = adopt_council_config(source=source, now=NOW)
            seconds = time.perf_counter() - began
            timings.append(seconds)
            print(
                f"run {run + 1}: closure day {CLOSURE_DAYS[run]} (version {version.number}): "
                f"{changed:,} clocks changed, {seconds:.2f} s"
            )
    print(f"median: {statistics.median(timings):.2f} s for {args.clocks:,} open clocks")


def _insert_cases_and_clocks(count: int, rng: random.Random) -> None:
    from frontdoor.cases.models import Case
    from frontdoor.charter.calendar import calendars_for
    from frontdoor.charter.deadlines import clock_due, standard_from_config
    from frontdoor.charter.models import Clock
    from frontdoor.council.queries import current_council, current_council_version

    config = current_council()
    version = current_council_version()
    calendars = calendars_for(config)
    standards = {row[0]: standard_from_config(config, row[0]) for row in STANDARD_MIX}
    snapshots = {key: value.to_snapshot() for key, value in standards.items()}
    weights = [row[4] for row in STANDARD_MIX]
    window = 21 * 24 * 3600
    batch = 10_000
    for first in range(0, count, batch):
        size = min(batch, count - first)
        picks = rng.choices(STANDARD_MIX, weights=weights, k=size)
        received = [NOW - timedelta(seconds=rng.randrange(window)) for _ in range(size)]
        cases = Case.objects.bulk_create(
            [
                Case(
                    reference=f"NN-2027-{first + i + 1:06d}",
                    case_type=pick[1],
                    team_code="customer-services",
                    channel=pick[2],
                    received_at=received[i],
                    opened_at=received[i],
                    title="Benchmark case",
                )
                for i, pick in enumerate(picks)
            ]
        )
        clocks = []
        for case, pick, received_at in zip(cases, picks, received, strict=True):
            standard = standards[pick[0]]
            due = clock_due(standard, calendars, received_at=received_at)
            clocks.append(
                Clock(
                    case_id=case.pk,
                    standard_id=standard.id,
                    council_version_id=version.pk,
                    snapshot=snapshots[standard.id],
                    calendar_kind=standard.calendar_kind,
                    clock_name=standard.clock,
                    received_at=received_at,
                    started_at=received_at,
                    due_at=due.at,
                    provisional=due.provisional,
                    updated_at=received_at,
                )
            )
        Clock.objects.bulk_create(clocks)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE charter_clock")


def _council_file(folder: Path, closures: list[date]) -> str:
    from importlib import resources

    text = (
        resources.files("frontdoor.council").joinpath("presets", "north-norfolk.toml").read_text()
    )
    listed = ", ".join(f'{{ date = {day}, reason = "Benchmark closure" }}' for day in closures)
    path = folder / f"north-norfolk-{len(closures)}.toml"
    path.write_text(text.replace("closure_days = []", f"closure_days = [{listed}]"))
    return str(path)






if __name__ == "__main__":
    main()
