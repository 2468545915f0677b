"""`frontdoor run_periodic`: the clock the Tasks framework lacks.

Every --interval seconds it enqueues each periodic task (the outbox sweep, plus any listed in
settings.FRONTDOOR_PERIODIC_TASKS as ("dotted.task.path", seconds) pairs) for the workers.
Several copies may run: the tasks are safe to overlap (messages are claimed under a lock).
`--once` enqueues everything once and exits (for cron or systemd timers).
"""

from __future__ import annotations

import signal
import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

BUILT_IN = [("frontdoor.notifications.tasks.sweep_outbox_task", 60)]


def _task(path: str) -> Any:
    module, name = path.rsplit(".", 1)
    return getattr(import_module(module), name)


class Command(BaseCommand):
    help = "Enqueue the periodic tasks (outbox sweep, reminders) on a schedule."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue each task once, exit")
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between checks")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = [(_task(p), float(s)) for p, s in
                BUILT_IN + list(getattr(settings, "FRONTDOOR_PERIODIC_TASKS", []))]
        last: dict[int, float] = {}
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            for index, (task, every) in enumerate(jobs):
                if time.monotonic() - last.get(index, -every) >= every:
                    task.enqueue()
                    last[index] = time.monotonic()
                    self.stdout.write(f"enqueued {task.name}")
            if options["once"]:
                return
            time.sleep(options["tick"])
