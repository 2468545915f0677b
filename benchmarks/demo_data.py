"""Benchmark: `frontdoor demo-data` on PostgreSQL (bulk COPY), reported as contacts per second.

    .venv/bin/python benchmarks/demo_data.py [--customers 100000] [--months 12] [--seed 1]
        [--end-date 2026-10-31] [--keep]

Uses DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres), creates its
own database fd_bench_demo, migrates, loads the north-norfolk preset, runs demo-data with the
sizes given and prints the timings, the row counts per table and the table sizes. Drops the
database at the end unless --keep. Volumes: Thurrock's monthly figures x customers / 170,000,
so --customers 100000 --months 12 is about 394,000 contacts and --customers 254000 --months 12
about 1,000,000.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, date, datetime

from _scratch_db import drop_database, recreate_database, with_database

BENCH_DATABASE = "fd_bench_demo"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
TABLES = (
    "accounts_user", "customers_customer", "customers_address", "customers_phonenumber",
    "customers_emailaddress", "contacts_contact", "cases_case", "cases_caseparty",
    "cases_casecontact", "cases_caseevent", "charter_clock",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end-date", type=date.fromisoformat, default=date(2026, 10, 31))
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", DEFAULT_SERVER)
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL server (COPY is what is measured)")
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
            print(f"dropped {BENCH_DATABASE}")
        else:
            print(f"kept {BENCH_DATABASE}")


def _run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from frontdoor.council.actions import load_council_config
    from frontdoor.ops.demo_data import expected_contacts

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_council_config(source="north-norfolk", now=datetime.now(UTC))
    print(f"migrate + load council: {time.perf_counter() - began:.1f} s")
    planned = sum(expected_contacts(args.customers, args.months).values())
    print(f"demo-data --customers {args.customers:,} --months {args.months} "
          f"--end-date {args.end_date} --seed {args.seed}: about {planned:,} contacts planned")
    began = time.perf_counter()
    call_command("demo_data", customers=args.customers, months=args.months, seed=args.seed,
                 end_date=args.end_date, quiet=False)
    seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f'SELECT count(*), pg_total_relation_size(%s) FROM "{table}"', [table])
            counts[table] = cursor.fetchone()
    print(f"\n{'table':<24}{'rows':>12}{'size (MB)':>12}")
    for table, (rows, size) in counts.items():
        print(f"{table:<24}{rows:>12,}{size / 1e6:>12.1f}")
    contacts = counts["contacts_contact"][0]
    print(f"\ndemo-data wall time {seconds:.1f} s: {contacts / seconds:,.0f} contacts/s "
          f"({sum(r for r, _ in counts.values()) / seconds:,.0f} rows/s over all tables)")






if __name__ == "__main__":
    main()
