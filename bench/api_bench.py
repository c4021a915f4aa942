"""API benchmark: one ``kringwijs serve`` worker, its memory, and bench/api_load.py against it.

Starts the server through ``bench.api_load.server`` (rate limit and question log off), warms
it, reads the worker's RSS from /proc, then runs ``bench.api_load.main`` against the running
server at 1, 8 and 32 concurrent clients. From the RSS it works out how many workers fit in
the machine's memory.

Usage::

    python -m bench.api_bench --home ingest-bundled --out r.json
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

import httpx

from bench import api_load
from bench.common import BENCH_ROOT, RESULTS, rss_of, write_json

RESERVE_GIB = 2.0  # kernel, page cache for the index files, sshd and friends


def _server_pid(port: int) -> int:
    """The ``kringwijs serve --port <port>`` process (api_load keeps its Popen to itself)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in args and str(port).encode() in args and b"cli" in args:
            return int(entry.name)
    raise LookupError(f"no kringwijs serve process on port {port}")


def _answered(load_out: Path) -> int:
    """Requests the load levels sent (their JSON's request counts), for the 1,000-request total."""
    data = json.loads(load_out.read_text(encoding="utf-8"))
    return sum(
        int(level.get("requests", 0)) for levels in data.values() if isinstance(levels, list) for level in levels
    )


def memory_total_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def run(home: str, levels: list[int], chroma_rss_mb: float = 0.0, total_requests: int = 1000) -> dict[str, Any]:
    os.environ["KRINGWIJS_HOME"] = str(BENCH_ROOT / f"kw-bench-{home}")  # read by the child server only
    port = api_load._free_port()
    load_out = RESULTS / f".api-load-{os.getpid()}.json"
    with api_load.server(port) as (url, startup):
        pid = _server_pid(port)
        idle = rss_of(pid)
        with httpx.Client(base_url=url, timeout=120) as client:
            for question in api_load.questions()[:20]:
                client.post("/api/v1/ask", json={"question": question})
        warm = rss_of(pid)
        api_load.main(["--url", url, "--levels", *map(str, levels), "--out", str(load_out)])
        after_levels = rss_of(pid)
        # Then sequential questions until the worker has answered ``total_requests`` in all: the
        # RSS target is stated after 1,000 requests (caches full, allocator settled).
        served = 20 + _answered(load_out)
        questions = api_load.questions()
        with httpx.Client(base_url=url, timeout=120) as client:
            for i in range(max(0, total_requests - served)):
                client.post("/api/v1/ask", json={"question": questions[i % len(questions)]})
        after = rss_of(pid)
    load = json.loads(load_out.read_text(encoding="utf-8"))
    load_out.unlink()
    total = memory_total_gib()
    worker_gib = after["peak_rss_mb"] / 1024
    fit = int((total - RESERVE_GIB - chroma_rss_mb / 1024) // worker_gib) if worker_gib else 0
    return {
        "home": os.environ["KRINGWIJS_HOME"],
        "startup": startup,
        "worker_rss_mb": {"ready": idle, "warm": warm, "after_levels": after_levels, "after_load": after},
        "requests_before_last_rss": max(total_requests, served),
        "memory_total_gib": round(total, 1),
        "reserve_gib": RESERVE_GIB,
        "workers_fit_by_memory": fit,
        "cpus": os.cpu_count(),
        "load": load,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", default="ingest-bundled")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests", type=int, default=1000, help="requests in all before the last RSS reading")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_json(args.out, run(args.home, args.levels, total_requests=args.requests))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
