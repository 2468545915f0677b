"""Load benchmark: case creations through the REST API (and Open311) under gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/api_load.py

Headless and local only: it creates its own PostgreSQL database `fd_bench_api` (dropped at the
end), loads north-norfolk, creates an API key, starts `gunicorn frontdoor.wsgi -w 2` on a free
127.0.0.1 port with FRONTDOOR_DEBUG off, and drives POST /api/v1/cases (then, if the Open311
endpoint is installed, POST /open311/v2/requests.xml) from 8 client threads, each with one
keep-alive http.client connection, for a fixed time. Reports creations/s, p50/p95/p99 latency
and the web workers' RSS (psutil). Target: >= 400 creations/s, p95 < 40 ms, worker < 150 MiB.

Options: --seconds 30 (per endpoint), --clients 8, --workers 2.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psutil
import psycopg

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
DB_NAME = "fd_bench_api"


def _server_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not base.startswith("postgres"):
        sys.exit("DATABASE_URL must point at a PostgreSQL server (the benchmark makes its own db)")
    return base.rsplit("/", 1)[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(VENV_BIN / "frontdoor"), *args], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return done.stdout


def _wait_for(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _drive(port: int, seconds: float, clients: int, make_request) -> tuple[list[float], int]:
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    stop_at = time.monotonic() + seconds
    barrier = threading.Barrier(clients)

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        barrier.wait()
        n = 0
        while time.monotonic() < stop_at:
            method, path, body, headers = make_request(index, n)
            n += 1
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status in (200, 201)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - started
            if ok:
                latencies[index].append(elapsed)
            else:
                errors[index] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [x for per in latencies for x in per], sum(errors)


def _report(label: str, latencies: list[float], errors: int, seconds: float,
            workers: list[psutil.Process]) -> dict[str, float]:
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    rss = [w.memory_info().rss / 2**20 for w in workers if w.is_running()]
    result = {
        "creations": len(latencies), "errors": errors, "per_second": len(latencies) / seconds,
        "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000,
        "worker_rss_mib_max": max(rss) if rss else 0.0,
    }
    print(f"{label}: {result['creations']} created ({errors} errors) in {seconds:.0f} s = "
          f"{result['per_second']:.0f}/s; p50 {result['p50_ms']:.1f} ms, "
          f"p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms; "
          f"worker RSS max {result['worker_rss_mib_max']:.0f} MiB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    server = _server_url()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        pg.execute(f'CREATE DATABASE "{DB_NAME}"')
    env = {**os.environ, "DATABASE_URL": f"{server}/{DB_NAME}", "FRONTDOOR_DEBUG": "0",
           "FRONTDOOR_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "frontdoor.settings"}
    gunicorn = None
    try:
        _manage(env, "migrate", "-v0")
        _manage(env, "council", "load", "north-norfolk")
        created = _manage(env, "api-key", "create", "Load benchmark", "--scope", "cases:write",
                          "--scope", "open311", "--rate-limit", "10000000")
        raw_key = next(line for line in created.splitlines() if line.startswith("fd_")
                       and len(line) > 40)
        port = _free_port()
        gunicorn = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "frontdoor.wsgi", "-w", str(args.workers),
             "-b", f"127.0.0.1:{port}", "--access-logfile", "-", "--log-level", "warning",
             "--keep-alive", "30"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        _wait_for(port, time.monotonic() + 30)
        workers = psutil.Process(gunicorn.pid).children()
        print(f"gunicorn pid {gunicorn.pid}, {len(workers)} workers, port {port}; "
              f"{args.clients} clients (threads + http.client keep-alive), {args.seconds:.0f} s")

        rest_headers = {"Authorization": f"Bearer {raw_key}",
                        "Content-Type": "application/json"}

        def rest_create(index: int, n: int):
            body = json.dumps({"service_code": "missed-bin", "channel": "web_form",
                               "title": f"Bin not collected ({index}-{n})",
                               "description": "Load benchmark"})
            return "POST", "/api/v1/cases", body, {**rest_headers,
                                                    "Idempotency-Key": f"bench-{index}-{n}"}

        # Warm up each worker (imports, council cache) before measuring.
        _drive(port, 2.0, args.clients, rest_create)
        latencies, errors = _drive(port, args.seconds, args.clients, rest_create)
        results = {"rest": _report("POST /api/v1/cases", latencies, errors, args.seconds,
                                   workers)}

        if (ROOT / "src/frontdoor/open311/views.py").exists():
            def open311_create(index: int, n: int):
                body = urllib.parse.urlencode({
                    "api_key": raw_key, "service_code": "fly-tipping",
                    "lat": "52.93", "long": "1.30", "description": f"Tipping {index}-{n}",
                    "email": f"bench{index}@example.com", "attribute[amount]": "bags",
                })
                return "POST", "/open311/v2/requests.xml", body, {
                    "Content-Type": "application/x-www-form-urlencoded"}

            latencies, errors = _drive(port, args.seconds, args.clients, open311_create)
            results["open311"] = _report("POST /open311/v2/requests.xml", latencies, errors,
                                         args.seconds, workers)
        print(json.dumps(results, indent=2))
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
