"""Where one case creation through the REST API spends its time (the api_load.py gap).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/profile_case_create.py [--creates 200]

Makes its own database (dropped at the end), loads north-norfolk, creates an API key, warms
up, then POSTs /api/v1/cases in-process (Django's test client: no network, no gunicorn) and
reports per create: wall time, the SQL statements by kind, and a cProfile summary of where
the Python time goes, grouped by layer
(our code, the Django ORM, the database driver, templates/JSON, everything else).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "fd_bench_profile"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--creates", type=int, default=200)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not base.startswith("postgres"):
        sys.exit("DATABASE_URL must point at a PostgreSQL server (the script makes its own db)")
    server = base.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        pg.execute(f'CREATE DATABASE "{DB_NAME}"')
    os.environ.update({"DATABASE_URL": f"{server}/{DB_NAME}", "FRONTDOOR_DEBUG": "0",
                       "DJANGO_SETTINGS_MODULE": "frontdoor.settings",
                       "FRONTDOOR_LOG_LEVEL": "WARNING"})
    try:
        _profile(args.creates)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def _profile(creates: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from frontdoor.accounts.actions import create_api_key
    from frontdoor.cases.council_changes import adopt_council_config

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    adopt_council_config(source="north-norfolk", now=timezone.now())
    _, key = create_api_key(name="profile", scopes=["cases:write"], by=None, now=timezone.now(),
                            rate_limit_per_minute=10_000_000)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    def create(n: int) -> None:
        body = json.dumps({"service_code": "missed-bin", "channel": "web_form",
                           "title": f"Bin not collected ({n})", "description": "Profile"})
        response = client.post("/api/v1/cases", body, content_type="application/json",
                               HTTP_IDEMPOTENCY_KEY=f"profile-{n}")
        if response.status_code != 201:
            raise RuntimeError(f"HTTP {response.status_code}: {response.content[:300]!r}")

    for n in range(20):  # warm up: imports, the council cache, prepared plans
        create(-n - 1)

    kinds: Counter[str] = Counter()
    began = time.perf_counter()
    for n in range(creates):
        with CaptureQueriesContext(connection) as queries:
            create(n)
        for query in queries.captured_queries:
            kinds[query["sql"].split(None, 1)[0].upper()] += 1
    wall = (time.perf_counter() - began) / creates
    statements = sum(kinds.values()) / creates
    print(f"{creates} creates: {wall * 1000:.1f} ms each (in-process, one at a time)")
    print(f"SQL statements per create: {statements:.1f} "
          f"({', '.join(f'{k} {v / creates:.1f}' for k, v in kinds.most_common())})")

    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(creates, creates + 100):
        create(n)
    profiler.disable()
    stats = pstats.Stats(profiler)
    layers: Counter[str] = Counter()
    total = 0.0
    for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        tottime = row[2]
        total += tottime
        layers[_layer(filename)] += tottime
    print("Python time per create by layer (cProfile, own time):")
    for layer, seconds in layers.most_common():
        print(f"  {layer:<34} {seconds / 100 * 1000:6.2f} ms  ({seconds / total:5.1%})")
    print("Top functions by cumulative time:")
    stats.sort_stats("cumulative").print_stats(r"frontdoor", 15)


def _layer(filename: str) -> str:
    if "/frontdoor/" in filename and "site-packages" not in filename:
        return "Front Door (our code)"
    for marker, layer in (("django/db/", "Django ORM and SQL compiler"),
                          ("psycopg", "database driver (psycopg)"),
                          ("ninja", "django-ninja and pydantic"),
                          ("pydantic", "django-ninja and pydantic"),
                          ("django/", "Django (request, middleware, other)"),
                          ("json", "JSON"), ("jinja2", "templates")):
        if marker in filename:
            return layer
    return "other (stdlib, builtins)"


if __name__ == "__main__":
    main()
