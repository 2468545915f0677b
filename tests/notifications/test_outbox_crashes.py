"""Workers killed with SIGKILL: nothing lost, nothing sent twice, unknown outcomes shown.

Each test runs real processes against its own database (a SQLite file, or a scratch
PostgreSQL database on the PostgreSQL pass) and a real local SMTP server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.notifications.standins import SmtpStandIn

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


@pytest.fixture
def smtp_server() -> Iterator[SmtpStandIn]:
    server = SmtpStandIn.start()
    yield server
    server.stop()


@pytest.fixture
def child_env(tmp_path: Path, smtp_server: SmtpStandIn) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    scratch = None
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.settings_dict
        scratch = f"fd_notify_child_{uuid.uuid4().hex[:8]}"
        admin = f"postgresql://{params['USER']}@{params['HOST']}:{params['PORT']}/postgres"
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(f'CREATE DATABASE "{scratch}"')
        env["DATABASE_URL"] = admin.rsplit("/", 1)[0] + f"/{scratch}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'outbox.sqlite3'}"
    env.update({
        "FRONTDOOR_DATA_DIR": str(tmp_path / "var"),
        "FRONTDOOR_EMAIL_HOST": "127.0.0.1",
        "FRONTDOOR_EMAIL_PORT": str(smtp_server.port),
        "FRONTDOOR_EMAIL_TIMEOUT": "60",
        "FRONTDOOR_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "PYTHONPATH": str(ROOT),
    })
    subprocess.run([BIN / "frontdoor", "migrate", "-v0"], env=env, check=True, timeout=120)
    yield env
    if scratch:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE "{scratch}" WITH (FORCE)')


def _child(env: dict[str, str], *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "tests.notifications.outbox_child", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}


def _start_child(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.notifications.outbox_child", *args],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the child process")
        time.sleep(0.05)


def test_a_worker_killed_between_sends_sends_nothing_twice(child_env, smtp_server, tmp_path):
    _child(child_env, "queue", "3")
    ready = tmp_path / "ready"
    worker = _start_child(child_env, "send", "--pause-before-claim", "2", "--ready", str(ready))
    try:
        _wait_for(ready.exists)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    assert len(smtp_server.received) == 1  # the first went before the kill

    _child(child_env, "sweep")
    report = _child(child_env, "report")
    assert {k: v["status"] for k, v in report.items()} == {
        "ack:0": "sent", "ack:1": "sent", "ack:2": "sent"
    }
    delivered = sorted(m["X-RcptTo"] for m in smtp_server.received)
    assert delivered == ["person0@example.com", "person1@example.com", "person2@example.com"]


def test_a_worker_killed_mid_send_leaves_an_unknown_message_for_staff(
    child_env, smtp_server
):
    _child(child_env, "queue", "1")
    smtp_server.handler.hang_seconds = 5  # the mail server is slow to answer DATA
    worker = _start_child(child_env, "send")
    try:
        _wait_for(lambda: smtp_server.handler.data_seen == 1)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    smtp_server.handler.hang_seconds = 0

    swept = _child(child_env, "sweep")
    assert swept["recovered"] == {"sent": 0, "resend": 0, "unknown": 1}
    report = _child(child_env, "report")
    assert report["ack:0"]["status"] == "unknown"
    assert report["ack:0"]["history"] == ["queued", "sending", "unknown"]
    _child(child_env, "sweep")  # later sweeps leave it for staff: no blind resend
    assert smtp_server.handler.data_seen == 1
    assert _child(child_env, "report")["ack:0"]["status"] == "unknown"


def test_a_real_db_worker_sends_what_was_queued(child_env, smtp_server):
    _child(child_env, "queue", "2")
    done = subprocess.run(
        [BIN / "frontdoor", "db_worker", "--batch", "--no-reload", "--no-startup-delay",
         "--queue-name", "*"],
        env=child_env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = _child(child_env, "report")
    assert [v["status"] for v in report.values()] == ["sent", "sent"]
    assert len(smtp_server.received) == 2
