"""Databases for benchmarks: a throwaway one (`scratch_database`: a SQLite file, or with
DATABASE_URL pointing at PostgreSQL a fresh database there, dropped afterwards), and the
helpers the PostgreSQL-only benchmarks use to make and drop their own named database."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def scratch_database() -> Iterator[str]:
    base = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["FRONTDOOR_DATA_DIR"] = tmp
        if base.startswith("postgres"):
            import psycopg

            server = base.rsplit("/", 1)[0]
            name = f"fd_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(f"{server}/postgres", autocommit=True) as pg:
                pg.execute(f'CREATE DATABASE "{name}"')
            url = f"{server}/{name}"
        else:
            name = ""
            url = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["DATABASE_URL"] = url
        try:
            subprocess.run([sys.executable, "-m", "frontdoor", "migrate", "-v0"], check=True,
                           env=os.environ.copy(), cwd=ROOT)
            yield url
        finally:
            if name:
                import psycopg
                from django.db import connections

                connections.close_all()
                with psycopg.connect(f"{server}/postgres", autocommit=True) as pg:
                    pg.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def with_database(url: str, name: str) -> str:
    """`url` with its database name replaced by `name`."""
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def admin_connection(server_url: str):  # type: ignore[no-untyped-def]
    """An autocommit connection to the server's `postgres` database (for CREATE/DROP)."""
    import psycopg

    return psycopg.connect(with_database(server_url, "postgres"), autocommit=True)


def recreate_database(server_url: str, name: str) -> None:
    with admin_connection(server_url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(server_url: str, name: str) -> None:
    with admin_connection(server_url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
