"""`frontdoor serve [--host 127.0.0.1] [--port 8000] [--workers 2] [--no-worker]`.

Gets the database and static files ready, then runs the web server (gunicorn), the task
worker (django-tasks-db's `db_worker`) and the periodic-job scheduler (`run_periodic`) as child
processes. SIGINT and SIGTERM are passed on to
all; when one child stops, the others are stopped too and serve exits with its status.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

import gunicorn
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# Files collectstatic leaves out: sources and templates the browser never asks for.
COLLECT_IGNORE = ("*.scss", "*.mjs", "*.njk", "*.md", "fixtures.json", "macro-options.json")
STOP_GRACE_SECONDS = 20.0


def web_command(*, host: str, port: int, workers: int) -> list[str]:
    command = [
        sys.executable, "-m", "gunicorn", "frontdoor.wsgi:application",
        "--workers", str(workers),
        "--bind", f"{host}:{port}",
        "--access-logfile", "-",
        "--graceful-timeout", "10",
    ]
    if gunicorn.version_info >= (27,):
        # gunicorn 27's control socket lives at one path per user: two instances would clash.
        command.append("--no-control-socket")
    return command


def worker_command() -> list[str]:
    return [sys.executable, "-m", "frontdoor", "db_worker", "--no-reload", "--queue-name", "*"]


def scheduler_command() -> list[str]:
    # The Tasks framework has no scheduler: this process enqueues the periodic jobs
    # (outbox sweep: retries, reminders, messages left mid-send) every minute.
    return [sys.executable, "-m", "frontdoor", "run_periodic"]


def exit_status(returncode: int) -> int:
    """A child killed by signal N reports -N; a shell would say 128 + N."""
    return 128 - returncode if returncode < 0 else returncode


class Command(BaseCommand):
    help = "Migrate, build and collect static files, then run the web server and the task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument(
            "--no-worker", action="store_true", help="Run the web server only, no task worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("build_assets", if_missing=True, verbosity=verbosity)
        # A fresh process: settings map node_modules folders into static files only if they
        # existed at start-up, and build_assets may have just installed them.
        collect = [sys.executable, "-m", "frontdoor", "collectstatic", "--noinput", "-v", "0"]
        for pattern in COLLECT_IGNORE:
            collect += ["-i", pattern]
        subprocess.run(collect, check=True)

        host, port, workers = options["host"], options["port"], options["workers"]
        commands = {"web server": web_command(host=host, port=port, workers=workers)}
        if not options["no_worker"]:
            commands["task worker"] = worker_command()
            commands["scheduler"] = scheduler_command()
        self.stdout.write(f"Front Door is starting on http://{host}:{port}/ (Ctrl-C to stop)")
        self.stdout.flush()
        raise SystemExit(self._supervise(commands))

    def _supervise(self, commands: dict[str, list[str]]) -> int:
        children: dict[str, subprocess.Popen[bytes]] = {}
        stopping: list[int] = []

        def forward(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)
            for child in children.values():
                if child.poll() is None:
                    child.send_signal(signum)

        previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for name, command in commands.items():
                # Own session: a Ctrl-C in the terminal reaches the children once, through us
                # (the task worker treats a second signal as "stop without finishing the task").
                children[name] = subprocess.Popen(command, start_new_session=True)
            while True:
                for name, child in children.items():
                    if child.poll() is not None:
                        return self._stop_rest(children, first=name, stopping=bool(stopping))
                time.sleep(0.2)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            for child in children.values():  # never leave a child behind
                if child.poll() is None:
                    child.kill()
                    child.wait()

    def _stop_rest(
        self, children: dict[str, subprocess.Popen[bytes]], *, first: str, stopping: bool
    ) -> int:
        status = exit_status(children[first].returncode)
        if not stopping:
            self.stderr.write(f"The {first} stopped (exit status {status}); stopping the rest.")
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if stopping:
            # Asked to stop: report the worst status of any child (0 when all stopped cleanly).
            # A child that ended from the very signal we passed on did what it was asked (it
            # may still have been starting up, before it installed its own handler).
            asked = {-signal.SIGTERM, -signal.SIGINT}
            return max(0 if c.returncode in asked else exit_status(c.returncode)
                       for c in children.values())
        return status
