"""Benchmark: "Find the customer" with 1,000,000 customers and 10,000,000 contacts (p95 < 100 ms).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/customer_search.py [--customers 1000000] \
        [--contacts 10000000] [--queries 200] [--http 50] [--keep] [--reuse]

Checks free disk first (about 10 GB for the full size; aborts with a message otherwise),
creates its own database (fd_bench_search on the DATABASE_URL server), migrates, loads the
north-norfolk preset and writes, with COPY (core/bulk.py through the apps' bulk imports):
customers made by the demo-data generator (names from ops/demo_names.py, emails, phones,
addresses with postcode and UPRN, a few warning markers), one case per 20 customers with its
customer party, and minimal contact rows. Then it times `find_customers` (the query the
search page calls: cases.customer_view, which calls customers.queries.search_customers) for
a mix of queries (names with typos, partial names, postcodes, phones in several formats,
emails, case references, UPRNs) and prints p50/p95/max overall and per kind, and the server
time of the search page through the Django test client for a subset. The database is
dropped at the end unless --keep; --reuse keeps the data of an earlier --keep run.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from _scratch_db import admin_connection, drop_database, recreate_database, with_database

BENCH_DATABASE = "fd_bench_search"
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
CHUNK = 50_000
NEEDED_BYTES_PER_CUSTOMER = 10_000  # ~10 GB for 1M customers + 10M contacts, with indexes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--http", type=int, default=50, help="queries timed through the page")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--reuse", action="store_true", help="use the data of a kept run")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "set DATABASE_URL to a PostgreSQL server, e.g. "
            "postgres://postgres@127.0.0.1:5432/postgres"
        )
    bench_url = with_database(server_url, BENCH_DATABASE)
    if not (args.reuse and _database_exists(server_url, BENCH_DATABASE)):
        _check_disk(server_url, args.customers * NEEDED_BYTES_PER_CUSTOMER)
        recreate_database(server_url, BENCH_DATABASE)
        args.reuse = False
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdoor.settings")
    try:
        import django

        django.setup()
        if not args.reuse:
            _generate(args)
        _time_searches(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(server_url, BENCH_DATABASE)
            print(f"dropped {BENCH_DATABASE}")


# --- data -------------------------------------------------------------------------------------


def _generate(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from frontdoor.cases import bulk as cases_bulk
    from frontdoor.contacts import bulk as contacts_bulk
    from frontdoor.council.actions import load_council_config
    from frontdoor.council.queries import current_council
    from frontdoor.customers import bulk as customers_bulk
    from frontdoor.ops.demo_data import CustomerMaker, Population

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_council_config(source="north-norfolk", now=NOW - timedelta(days=400))
    config = current_council()
    teams = [t.code for t in config.teams] or ["customer-services"]
    print(f"migrated and loaded the council in {time.perf_counter() - started:.1f} s")
    rng = random.Random(args.seed)
    maker = CustomerMaker(config, rng, NOW, [])
    population = Population()
    # Bulk load only: foreign-key triggers off for this session (the generator makes valid ids).
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")

    t0 = time.perf_counter()
    written = 0
    while written < args.customers:
        count = min(CHUNK, args.customers - written)
        with transaction.atomic():
            ids = customers_bulk.reserve_customer_ids(count)
            batch = maker.make(ids, population)
            customers_bulk.import_customers(batch.customers)
            customers_bulk.import_email_addresses(batch.emails)
            customers_bulk.import_phone_numbers(batch.phones)
            customers_bulk.import_addresses(batch.addresses)
            customers_bulk.import_warning_markers(batch.markers)
        written += count
        if written % 200_000 == 0 or written == args.customers:
            print(f"  customers {written:,} ({time.perf_counter() - t0:.0f} s)", flush=True)
    customer_ids = population.ids
    weights = population.weights
    population.places.clear()

    t0 = time.perf_counter()
    case_count = max(1, args.customers // 20)
    with transaction.atomic():
        first = cases_bulk.claim_case_numbers(year=NOW.year, count=case_count)
        case_ids = cases_bulk.reserve_case_ids(case_count)
        owners = rng.choices(customer_ids, k=case_count)
        cases = []
        for i, case_id in enumerate(case_ids):
            received = NOW - timedelta(minutes=rng.randint(10, 300 * 24 * 60))
            status = rng.choice(("new", "assigned", "in_progress", "resolved", "closed", "closed"))
            cases.append(
                {
                    "id": case_id,
                    "reference": f"NN-{NOW.year}-{first + i:06d}",
                    "case_type": "service_request",
                    "team_code": rng.choice(teams),
                    "status": status,
                    "channel": "phone",
                    "received_at": received,
                    "opened_at": received,
                    "title": "Missed bin collection",
                }
            )
        cases_bulk.import_cases(cases)
        cases_bulk.import_case_parties(
            {"case_id": case_id, "customer_id": owner, "role": "customer"}
            for case_id, owner in zip(case_ids, owners, strict=True)
        )
    print(f"  cases {case_count:,} ({time.perf_counter() - t0:.0f} s)", flush=True)

    t0 = time.perf_counter()
    channels = ("phone", "phone", "phone", "email", "web_form", "face_to_face", "letter")
    written = 0
    span = 3 * 365 * 24 * 3600
    while written < args.contacts:
        count = min(1_000_000, args.contacts - written)
        who = rng.choices(customer_ids, weights=weights, k=count)
        with transaction.atomic():
            contacts_bulk.import_contacts(
                {
                    "channel": channels[n % 7],
                    "customer_id": customer_id,
                    "received_at": (at := NOW - timedelta(seconds=rng.randint(60, span))),
                    "logged_at": at,
                    "created_at": at,
                    "outcome": "resolved_first_contact",
                }
                for n, customer_id in enumerate(who)
            )
        written += count
        print(f"  contacts {written:,} ({time.perf_counter() - t0:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("ANALYZE")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(f"generated in {time.perf_counter() - started:.0f} s; database size {size}", flush=True)


# --- queries ----------------------------------------------------------------------------------


def _typo(word: str, rng: random.Random) -> str:
    """One slip of the finger: two letters swapped, one dropped or one doubled."""
    if len(word) < 4:
        return word
    i = rng.randint(1, len(word) - 2)
    roll = rng.random()
    if roll < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if roll < 0.7:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _mixed_queries(count: int, rng: random.Random) -> list[tuple[str, str]]:
    from frontdoor.cases.models import Case
    from frontdoor.customers.models import Address, Customer, EmailAddress, PhoneNumber

    def sample(queryset, n):  # ids are dense: pick random ids, keep those that exist
        top = queryset.order_by("-pk").values_list("pk", flat=True).first() or 0
        picks = rng.sample(range(1, top + 1), min(top, n * 3))
        return list(queryset.filter(pk__in=picks)[:n])

    people = sample(Customer.objects.filter(kind="person"), count)
    mix: list[tuple[str, str]] = []
    for person in people[: count * 30 // 100]:
        mix.append(("name with a typo", f"{person.given_name} {_typo(person.family_name, rng)}"))
    for person in people[count * 30 // 100 : count * 40 // 100]:
        mix.append(("full name", f"{person.given_name} {person.family_name}"))
    for person in people[count * 40 // 100 : count * 55 // 100]:
        mix.append(("partial name", person.family_name[: rng.randint(3, 5)].lower()))
    for address in sample(Address.objects.all(), count * 15 // 100):
        shown = (
            address.postcode if rng.random() < 0.5 else address.postcode.replace(" ", "").lower()
        )
        mix.append(("postcode", shown))
    for phone in sample(PhoneNumber.objects.all(), count * 10 // 100):
        national = "0" + phone.e164[3:]
        shown = rng.choice(
            (f"{national[:5]} {national[5:]}", f"+44 {phone.e164[3:7]} {phone.e164[7:]}", national)
        )
        mix.append(("phone", shown))
    for email in sample(EmailAddress.objects.all(), count * 10 // 100):
        mix.append(("email", email.address.upper() if rng.random() < 0.3 else email.address))
    for case in sample(Case.objects.all(), count * 5 // 100):
        mix.append(
            ("case reference", case.reference.lower() if rng.random() < 0.3 else case.reference)
        )
    for address in sample(Address.objects.exclude(uprn=""), count - len(mix)):
        mix.append(("UPRN", address.uprn))
    rng.shuffle(mix)
    return mix[:count]


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return (
        f"n={len(ordered):3d}  p50 {statistics.median(ordered):6.1f} ms  "
        f"p95 {p95:6.1f} ms  max {ordered[-1]:6.1f} ms"
    )


def _time_searches(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from frontdoor.accounts.models import User
    from frontdoor.cases.customer_view import find_customers

    rng = random.Random(args.seed + 1)
    agent, _ = User.objects.get_or_create(
        email="bench.agent@north-norfolk.gov.uk",
        defaults={"role": "agent", "display_name": "Bench"},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM customers_customer")
        customers = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'contacts_contact'")
        contacts = cursor.fetchone()[0]
    print(f"customers {customers:,}; contacts about {contacts:,}")
    queries = _mixed_queries(args.queries, rng)
    for _kind, text in queries[:10]:  # warm the caches and the connection
        find_customers(user=agent, text=text, now=NOW)

    by_kind: dict[str, list[float]] = defaultdict(list)
    overall: list[float] = []
    found = 0
    most_sql = 0
    for kind, text in queries:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = find_customers(user=agent, text=text, now=NOW)
            elapsed = (time.perf_counter() - started) * 1000
        most_sql = max(most_sql, len(captured))
        found += bool(result.matches or result.go_to_customer_id)
        by_kind[kind].append(elapsed)
        overall.append(elapsed)
    print(
        f"find_customers over {len(queries)} queries ({found} found something; "
        f"at most {most_sql} SQL statements each):"
    )
    print(f"  {'all':16s} {_percentiles(overall)}")
    for kind, samples in sorted(by_kind.items()):
        print(f"  {kind:16s} {_percentiles(samples)}")

    client = Client()
    client.force_login(agent)
    client.get("/staff/customers/", {"q": "warm up"})  # first request compiles the templates
    page: list[float] = []
    for _kind, text in queries[: args.http]:
        started = time.perf_counter()
        response = client.get("/staff/customers/", {"q": text})
        page.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), response.status_code
    print(f"search page (test client, server time) {_percentiles(page)}")


# --- databases --------------------------------------------------------------------------------




def _database_exists(url: str, name: str) -> bool:
    with admin_connection(url) as pg:
        return (
            pg.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )


def _check_disk(url: str, needed: int) -> None:
    with admin_connection(url) as pg:
        try:
            where = pg.execute("SHOW data_directory").fetchone()[0]
        except Exception:  # not allowed to see it: assume the server shares our disk
            where = "/"
    if not os.path.exists(where):
        where = "/"
    free = shutil.disk_usage(where).free
    if free < needed:
        sys.exit(
            f"not enough free disk at {where}: {free / 1e9:.1f} GB free, "
            f"about {needed / 1e9:.1f} GB needed; use fewer --customers"
        )
    print(f"free disk at {where}: {free / 1e9:.0f} GB (need about {needed / 1e9:.0f} GB)")




if __name__ == "__main__":
    main()
