"""`frontdoor serve`: the web server and the task worker start, serve pages, and stop together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from frontdoor.ops.management.commands.serve import exit_status

START_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A `frontdoor serve` on a free port with its own data directory, up and answering."""
    port = _free_port()
    env = {**os.environ, "FRONTDOOR_DATA_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    log_path = tmp_path / "serve.log"
    log = log_path.open("wb")  # a file, not a pipe: nobody reads while it runs, so no blocking
    process = subprocess.Popen(
        [sys.executable, "-m", "frontdoor", "serve", "--port", str(port), "--workers", "1"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            if process.poll() is not None:
                output = log_path.read_text(errors="replace")
                pytest.fail(f"serve exited with {process.returncode}:\n{output}")
            try:
                _get(base + "/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"serve did not answer within {START_TIMEOUT:.0f} s")
                time.sleep(0.5)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=STOP_TIMEOUT)
        log.close()


def test_serve_answers_pages_and_static_files_then_stops_cleanly_on_sigterm(served) -> None:  # type: ignore[no-untyped-def]
    process, base = served
    status, body = _get(base + "/")
    assert status == 200 and b"Council services" in body
    status, css = _get(base + "/static/css/app.css")
    assert status == 200 and b"GDS Transport" not in css
    assert _get(base + "/static/govuk/govuk-frontend.min.js")[0] == 200
    children = _children(process.pid)
    assert any("gunicorn" in _cmdline(pid) for pid in children)
    assert any("db_worker" in _cmdline(pid) for pid in children)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=STOP_TIMEOUT) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in children)


def test_when_the_task_worker_dies_serve_stops_the_web_server_and_reports_it(served) -> None:  # type: ignore[no-untyped-def]
    process, base = served
    children = _children(process.pid)
    worker = next(pid for pid in children if "db_worker" in _cmdline(pid))
    os.kill(worker, signal.SIGKILL)
    assert process.wait(timeout=STOP_TIMEOUT) == 128 + signal.SIGKILL
    with pytest.raises(OSError):
        _get(base + "/")


def test_a_child_killed_by_a_signal_reports_like_a_shell() -> None:
    assert exit_status(0) == 0
    assert exit_status(3) == 3
    assert exit_status(-signal.SIGTERM) == 128 + signal.SIGTERM
