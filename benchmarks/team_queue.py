"""Benchmark: 4 staff paging and filtering a 100,000-case team queue (p95 < 50 ms target).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/team_queue.py [--cases 100000] [--requests 200] [--keep]

Creates its own database (fd_bench_queue on the DATABASE_URL server), migrates, loads the
north-norfolk preset, bulk-inserts N open Waste Services cases with one running charter clock
each (COPY through cases/bulk.py and charter/bulk.py; received over the three weeks before now,
a quarter unassigned, the rest shared between 4 officers and their leader), then runs 4 staff
users at once — by default 4 processes, as 4 web server workers would serve them (`--mode
threads` runs them as threads of one process instead, sharing one interpreter lock) — each a
signed-in member of staff with their own database connection, requesting the queue page
(`GET /staff/queues/waste-services/`) with a mix of filters and pages 1 to 10. Prints p50/p95/max
per request and the SQL queries each page took. The database is dropped unless --keep.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from datetime import datetime, timedelta

from _scratch_db import drop_database, recreate_database, with_database

BENCH_DATABASE = "fd_bench_queue"
TEAM = "waste-services"
SERVICES = ["fly-tipping", "missed-bin", "fly-tipping", "fly-tipping"]
STATUSES = ["new", "assigned", "in_progress", "waiting_on_customer"]
QUERIES = ["", "owner=me", "owner=unassigned", "due=overdue", "due=today", "due=this_week",
           "service=missed-bin", "status=in_progress", "status=new&status=assigned",
           "owner=me&due=overdue"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per staff member")
    parser.add_argument("--staff", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--mode", choices=["processes", "threads"], default="processes")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit("set DATABASE_URL to a PostgreSQL server, e.g. "
                 "postgres://postgres@127.0.0.1:5432/postgres")
    recreate_database(server_url, BENCH_DATABASE)
    os.environ["DATABASE_URL"] = with_database(server_url, BENCH_DATABASE)
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
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from frontdoor.council.actions import load_council_config

    settings.ALLOWED_HOSTS = ["*"]
    now = timezone.now()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_council_config(source="north-norfolk", now=now - timedelta(days=60))
    staff = _staff(args.staff, now)
    _insert(args.cases, [u.pk for u in staff], now, random.Random(args.seed))
    print(f"setup: {args.cases:,} open cases with clocks in {time.perf_counter() - started:.1f} s")

    began = time.perf_counter()
    run = _in_processes if args.mode == "processes" else _in_threads
    results = run(args, staff)
    wall = time.perf_counter() - began
    times = sorted(r[0] * 1000 for r in results)
    queries = sorted({r[1] for r in results})
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"{len(results)} queue pages by {len(staff)} concurrent staff ({args.mode}) in "
          f"{wall:.1f} s "
          f"({len(results) / wall:.0f} pages/s)")
    print(f"latency: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
          f"max {times[-1]:.1f} ms (target p95 < 50 ms: {'met' if p95 < 50 else 'MISSED'})")
    print(f"SQL queries per page (session and user included): {queries}")


def _pages(  # type: ignore[no-untyped-def]
    args: argparse.Namespace, user, index: int, ready
) -> list[tuple[float, int, int]]:
    """One member of staff paging and filtering the queue; (seconds, queries, bytes) per page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    rng = random.Random(args.seed + index)
    client.get(f"/staff/queues/{TEAM}/")  # warm this worker's caches
    ready()
    results = []
    for _ in range(args.requests):
        query = rng.choice(QUERIES)
        page = rng.choice([1, 1, 1, 2, 2, 3, 5, 10])
        url = f"/staff/queues/{TEAM}/?{query}&page={page}"
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - began
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        results.append((elapsed, len(queries), len(response.content)))
    connection.close()
    return results


def _in_threads(  # type: ignore[type-arg]
    args: argparse.Namespace, staff: list
) -> list[tuple[float, int, int]]:
    results: list[tuple[float, int, int]] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    gate = threading.Barrier(len(staff))

    def work(index: int) -> None:
        try:
            mine = _pages(args, staff[index], index, gate.wait)
            with lock:
                results.extend(mine)
        except BaseException as error:  # reported after the threads finish
            failures.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(staff))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results


def _in_processes(  # type: ignore[type-arg]
    args: argparse.Namespace, staff: list
) -> list[tuple[float, int, int]]:
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each process opens its own connection
    context = multiprocessing.get_context("fork")
    gate = context.Barrier(len(staff))
    out = context.Queue()
    workers = [
        context.Process(target=_pages_in_process, args=(args, user, i, gate, out))
        for i, user in enumerate(staff)
    ]
    for worker in workers:
        worker.start()
    batches = [out.get() for _ in workers]
    for worker in workers:
        worker.join()
    failed = [b for b in batches if isinstance(b, str)]
    if failed:
        raise RuntimeError(failed[0])
    return [row for batch in batches for row in batch]


def _pages_in_process(  # type: ignore[no-untyped-def]
    args: argparse.Namespace, user, index: int, gate, out
) -> None:
    try:
        out.put(_pages(args, user, index, gate.wait))
    except BaseException as error:  # reported by the parent
        out.put(f"staff {index}: {error!r}")


def _staff(count: int, now: datetime) -> list:  # type: ignore[type-arg]
    from frontdoor.accounts.models import TeamMembership, User

    users = []
    for index in range(count):
        leader = index == 0
        user = User.objects.create(email=f"bench{index}@example.gov.uk",
                                   display_name=f"Bench Officer {index}",
                                   role="team_leader" if leader else "case_officer")
        TeamMembership.objects.create(user=user, team_code=TEAM, since=now,
                                      role_in_team="leader" if leader else "member")
        users.append(user)
    return users


def _insert(count: int, owner_ids: list[int], now: datetime, rng: random.Random) -> None:
    from django.db import connection

    from frontdoor.cases.bulk import claim_case_numbers, import_cases, reserve_case_ids
    from frontdoor.charter.bulk import import_clocks
    from frontdoor.charter.calendar import calendars_for
    from frontdoor.charter.deadlines import clock_due, standard_from_config
    from frontdoor.core.time import to_london
    from frontdoor.council.queries import current_council, current_council_version

    config = current_council()
    version = current_council_version()
    calendars = calendars_for(config)
    standard = standard_from_config(config, "written-reply")
    snapshot = standard.to_snapshot()
    window = 21 * 24 * 3600
    batch = 20_000
    year = to_london(now).year
    for first in range(0, count, batch):
        size = min(batch, count - first)
        ids = reserve_case_ids(size)
        number = claim_case_numbers(year=year, count=size)
        cases, clocks = [], []
        for offset, case_id in enumerate(ids):
            received = now - timedelta(seconds=rng.randrange(window))
            due = clock_due(standard, calendars, received_at=received).at
            status = rng.choice(STATUSES)
            owner = None if status == "new" else rng.choice(owner_ids)
            cases.append({
                "id": case_id, "reference": f"NN-{year}-{number + offset:06d}",
                "case_type": "service_request", "service_code": rng.choice(SERVICES),
                "team_code": TEAM, "owner_id": owner, "status": status, "channel": "email",
                "received_at": received, "opened_at": received, "due_at": due,
                "promised_at": due, "title": "Benchmark case",
            })
            paused = [[received.isoformat(), None]] if status == "waiting_on_customer" else []
            clocks.append({
                "case_id": case_id, "standard_id": standard.id,
                "council_version_id": version.pk, "snapshot": snapshot,
                "calendar_kind": standard.calendar_kind, "clock_name": standard.clock,
                "received_at": received, "started_at": received, "due_at": due,
                "pauses": paused, "updated_at": received,
            })
        import_cases(cases)
        import_clocks(clocks)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE charter_clock")






if __name__ == "__main__":
    main()
