"""Outbox throughput: N messages queued, then sent through the SMTP provider to a local
aiosmtpd server by the same claim-send-record loop the workers use.

    .venv/bin/python benchmarks/outbox_throughput.py [N]          # SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x \
        .venv/bin/python benchmarks/outbox_throughput.py

Reports queue rate and send rate (messages/s), and checks every message arrived exactly once.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _scratch_db import scratch_database

SMTP_SERVER = """
import signal, sys, threading
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
seen = []
class Counting(Message):
    def handle_message(self, message):
        seen.append(message["X-RcptTo"])
ctl = Controller(Counting(), hostname="127.0.0.1", port=int(sys.argv[1]))
ctl.start()
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
print("ready", flush=True)
done.wait()
ctl.stop()
print(len(seen), len(set(seen)))
"""


def main(n: int) -> None:
    # The mail server runs in its own process, as a real one would (no shared GIL).
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-c", SMTP_SERVER, str(port)], stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    server.stdout.readline()  # "ready"
    os.environ.update({"FRONTDOOR_EMAIL_HOST": "127.0.0.1", "FRONTDOOR_EMAIL_PORT": str(port),
                       "DJANGO_SETTINGS_MODULE": "frontdoor.settings",
                       "FRONTDOOR_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend"})
    with scratch_database() as url:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("council", "load", "north-norfolk", verbosity=0)  # as deployed
        from django.db import transaction
        from django.utils import timezone

        from frontdoor.notifications import actions
        from frontdoor.notifications.recipients import Recipient

        data = {"reference": "NN-2026-000001", "service_name": "Missed bin",
                "what_happens_next": "We will look.", "due_date": date(2026, 1, 12)}
        started = time.perf_counter()
        for i in range(n):
            with transaction.atomic():  # one transaction per cause, as a real flow does
                actions.queue_message(
                    event="contact_acknowledged", data=data, idempotency_key=f"bench:{i}",
                    recipient=Recipient(name=f"P{i}", email=f"p{i}@example.com"),
                    now=timezone.now(),
                )
        queued = time.perf_counter() - started
        started = time.perf_counter()
        sent = 0
        while sent < n:
            counts = actions.send_due_messages(now=timezone.now(), limit=500)
            if not counts:
                break
            sent += counts.get("sent", 0)
        sending = time.perf_counter() - started
    server.send_signal(signal.SIGTERM)
    count, addresses = (int(x) for x in server.communicate(timeout=30)[0].split())
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"database: {engine}; messages: {n}")
    print(f"queue:  {n / queued:8.0f} messages/s ({queued:.2f} s)")
    print(f"send:   {n / sending:8.0f} messages/s through SMTP ({sending:.2f} s)")
    print(f"server received {count} messages for {addresses} addresses")
    if count != n or addresses != n:
        sys.exit("FAIL: every message should arrive exactly once")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
