"""Load test of the API on loopback: /api/v1/ask throughput and latency, SSE first-event time.

Starts ``kringwijs serve`` on 127.0.0.1 (rate limit off, question log off, so the real log
is not filled with benchmark questions), waits for ``/readyz``, warms it, then runs a
bounded number of requests at each concurrency level. Questions come from the eval gold
sets and are not repeated, so the embedder's query cache does not flatter the numbers.

Usage::

    KRINGWIJS_HOME=/tmp/kw-api python bench/api_load.py              # 1, 8, 32 clients
    python bench/api_load.py --url http://127.0.0.1:8765 --levels 1 8  # an already running server
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import httpx

from bench.common import REPO, RESULTS, stop

RESULT_FILE = RESULTS / "api_load.json"
DATASETS = REPO / "evals" / "datasets"


def questions() -> list[str]:
    """Every standalone gold-set question (no follow-ups), shuffled with a fixed seed."""
    out: list[str] = []
    for path in sorted(DATASETS.glob("*/*.jsonl")):
        if "followup" in path.name:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line).get("question")
                if q and q not in out:
                    out.append(q)
    random.Random(7).shuffle(out)
    return out


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile in milliseconds (values in seconds)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[rank] * 1000, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(port: int) -> Iterator[tuple[str, dict[str, float]]]:
    """``kringwijs serve`` in a subprocess; yields its URL and startup timings."""
    env = dict(os.environ)
    env.update(
        {
            "KRINGWIJS_RATE_LIMIT_PER_MINUTE": "0",  # 0 switches the per-client limit off
            "KRINGWIJS_QUESTION_LOG": "false",
        }
    )
    cmd = [sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    timings: dict[str, float] = {}
    try:
        with httpx.Client(timeout=2) as client:
            while time.perf_counter() - started < 300:
                if proc.poll() is not None:
                    raise SystemExit(f"server stopped: {proc.stderr.read()[-2000:] if proc.stderr else ''}")
                try:
                    if "healthz_s" not in timings and client.get(f"{url}/healthz").status_code == 200:
                        timings["healthz_s"] = round(time.perf_counter() - started, 2)
                    if client.get(f"{url}/readyz").status_code == 200:
                        timings["readyz_s"] = round(time.perf_counter() - started, 2)
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        yield url, timings
    finally:
        stop(proc)


def run_level(url: str, clients: int, pool: list[str]) -> dict[str, object]:
    """``len(pool)`` POST /api/v1/ask requests spread over ``clients`` threads."""
    lock = threading.Lock()
    todo = list(pool)
    latencies: list[float] = []
    errors: dict[str, int] = {}

    def worker() -> None:
        with httpx.Client(base_url=url, timeout=120) as client:
            while True:
                with lock:
                    if not todo:
                        return
                    question = todo.pop()
                t = time.perf_counter()
                try:
                    r = client.post("/api/v1/ask", json={"question": question})
                    ok, key = r.status_code == 200, str(r.status_code)
                except httpx.HTTPError as exc:
                    ok, key = False, type(exc).__name__
                elapsed = time.perf_counter() - t
                with lock:
                    if ok:
                        latencies.append(elapsed)
                    else:
                        errors[key] = errors.get(key, 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(pool),
        "ok": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "seconds": round(wall, 2),
        "throughput_rps": round(len(latencies) / wall, 2),
        "p50_ms": pct(latencies, 50),
        "p95_ms": pct(latencies, 95),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
    }


def first_event(url: str, pool: list[str]) -> dict[str, object]:
    """Sequential streams: time to the first SSE event and to ``done``."""
    first: list[float] = []
    done: list[float] = []
    with httpx.Client(base_url=url, timeout=120) as client:
        for question in pool:
            t = time.perf_counter()
            with client.stream("POST", "/api/v1/ask/stream", json={"question": question}) as r:
                seen_first = False
                for line in r.iter_lines():
                    if line.startswith("event:") and not seen_first:
                        first.append(time.perf_counter() - t)
                        seen_first = True
                    if line == "event: done":
                        done.append(time.perf_counter() - t)
    return {
        "requests": len(pool),
        "first_event_p50_ms": pct(first, 50),
        "first_event_p95_ms": pct(first, 95),
        "done_p50_ms": pct(done, 50),
    }


def widget_size(url: str) -> dict[str, int]:
    body = httpx.get(f"{url}/widget.js", timeout=10).content
    return {"bytes": len(body), "gzip_bytes": len(gzip.compress(body, 9))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="use a running server on loopback instead of starting one")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--per-client", type=int, default=4, help="requests per client (at least --min-requests)")
    # 30 requests at one client were half a second of measuring: two runs on the same server
    # gave 57 and 64 req/s. 200 take about 3 s per level.
    parser.add_argument("--min-requests", type=int, default=200)
    parser.add_argument("--stream-requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=30, help="sequential questions before measuring")
    parser.add_argument("--out", type=Path, default=RESULT_FILE)
    args = parser.parse_args(argv)
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("alleen loopback: --url moet naar 127.0.0.1 of localhost wijzen")

    pool = questions()
    cursor = 0
    load_before = round(os.getloadavg()[0], 2)

    def take(n: int) -> list[str]:
        nonlocal cursor
        out = [pool[(cursor + i) % len(pool)] for i in range(n)]
        cursor += n
        return out

    with server(_free_port()) if not args.url else _existing(args.url) as (url, startup):
        # Warm-up: the first few dozen questions pay for lazy loads and per-shape kernel setup in torch.
        with httpx.Client(base_url=url, timeout=120) as client:
            for question in take(args.warmup):
                client.post("/api/v1/ask", json={"question": question})
        levels = [run_level(url, c, take(max(args.min_requests, c * args.per_client))) for c in args.levels]
        sse = first_event(url, take(args.stream_requests))
        size = widget_size(url)

    result = {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cpus": os.cpu_count(),
        # Other work on the machine skews every figure: record how busy it was.
        "load_average_1m": {"before": load_before, "after": round(os.getloadavg()[0], 2)},
        "startup": startup,
        "ask": levels,
        "sse": sse,
        "widget_js": size,
        "distinct_questions": len(pool),
        "warmup_requests": args.warmup,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{'clients':>7} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for row in levels:
        print(
            f"{row['clients']:>7} {row['requests']:>8} {row['errors']:>6} {row['throughput_rps']:>7} "
            f"{row['p50_ms']:>8} {row['p95_ms']:>8}"
        )
    print(
        f"SSE first event: p50 {sse['first_event_p50_ms']} ms, p95 {sse['first_event_p95_ms']} ms "
        f"(done p50 {sse['done_p50_ms']} ms, n={sse['requests']})"
    )
    print(f"widget.js: {size['bytes']} bytes ({size['gzip_bytes']} gzipped)")
    if startup:
        print(f"startup: /healthz after {startup.get('healthz_s')} s, /readyz after {startup.get('readyz_s')} s")
    print(f"load average (1 min) before/after: {load_before} / {result['load_average_1m']['after']}")
    print(f"written: {args.out}")
    return 0


@contextmanager
def _existing(url: str) -> Iterator[tuple[str, dict[str, float]]]:
    yield url.rstrip("/"), {}


if __name__ == "__main__":
    sys.exit(main())
