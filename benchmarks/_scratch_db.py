"""A throwaway database for a benchmark: a SQLite file, or (with DATABASE_URL pointing at
PostgreSQL) a fresh database on that server that is dropped afterwards."""

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
