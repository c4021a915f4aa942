"""Soak benchmark (not a test): many clients for a while against one server on loopback.

32 clients ask ``/api/v1/ask`` without pause for 60 s (gold-set questions, cycled, plus one
in ten through ``/ask/stream``); reported: requests, errors (any non-200 or transport error,
by kind), latency p50/p95/p99 and the server's RSS at start (ready, warmed) and at the end,
to catch leaks and error storms that a short load test does not show.

Usage::

    KRINGWIJS_HOME=/tmp/kw-soak .venv/bin/python -m bench.soak                 # 32 clients x 60 s
    .venv/bin/python -m bench.soak --clients 8 --seconds 20 --url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import threading
import time
from collections import Counter
from contextlib import nullcontext
from pathlib import Path

import httpx

from bench.api_load import _free_port, pct, questions, server
from bench.common import load_average, rss_of


def _client(url: str, pool: itertools.cycle, lock: threading.Lock, until: float, out: dict) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        n = 0
        while time.monotonic() < until:
            with lock:
                question = next(pool)
            n += 1
            path = "/api/v1/ask/stream" if n % 10 == 0 else "/api/v1/ask"
            started = time.perf_counter()
            try:
                r = client.post(path, json={"question": question})
                kind = None if r.status_code == 200 else f"http {r.status_code}"
                if kind is None and path.endswith("stream") and "event: done" not in r.text:
                    kind = "stream without done"
            except httpx.HTTPError as exc:
                kind = type(exc).__name__
            elapsed = time.perf_counter() - started
            with lock:
                out["latencies"].append(elapsed)
                if kind:
                    out["errors"][kind] += 1


def _server_pid(url: str) -> int | None:
    """The pid listening on the URL's port (from /proc), for RSS; None when not ours."""
    port = int(url.rsplit(":", 1)[1])
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        if int(parts[1].split(":")[1], 16) == port and parts[3] == "0A":
            inodes.add(parts[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if fd.readlink().name.removeprefix("socket:[").removesuffix("]") in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


def soak(url: str, clients: int, seconds: float) -> dict:
    pool = itertools.cycle(questions())
    pid = _server_pid(url)
    with httpx.Client(base_url=url, timeout=60) as warm:  # first encodes are slow; not part of the soak
        for q in itertools.islice(questions(), 20):
            warm.post("/api/v1/ask", json={"question": q})
    rss_start = rss_of(pid) if pid else {}
    out: dict = {"latencies": [], "errors": Counter()}
    lock = threading.Lock()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_client, args=(url, pool, lock, until, out), daemon=True) for _ in range(clients)
    ]
    load_before = load_average()
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    lat = out["latencies"]
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(lat),
        "req_per_s": round(len(lat) / wall, 1),
        "errors": sum(out["errors"].values()),
        "errors_by_kind": dict(out["errors"]),
        "p50_ms": pct(lat, 50),
        "p95_ms": pct(lat, 95),
        "p99_ms": pct(lat, 99),
        "rss_start_mb": rss_start.get("rss_mb"),
        "rss_end_mb": (rss_of(pid) if pid else {}).get("rss_mb"),
        "peak_rss_mb": (rss_of(pid) if pid else {}).get("peak_rss_mb"),
        "load_average_before": load_before,
        "load_average_after": load_average(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--url", help="An already running server (default: start one)")
    args = parser.parse_args(argv)
    context = nullcontext((args.url, {})) if args.url else server(_free_port())
    with context as (url, startup):
        result = soak(url, args.clients, args.seconds) | {"startup": startup}
    print(json.dumps(result, indent=1))
    path = Path("bench/results") / f"soak_{time.strftime('%Y%m%d-%H%M')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"Resultaat: {path}")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
