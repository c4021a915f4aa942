"""All benchmarks in one command: ``python -m bench.run [--quick]``.

Each phase runs in its own process (``bench.common.run_phase``) so its peak RSS and warm-up
are its own. Before every phase the run waits (polling every 60 s, bounded) for the 1-minute
load average to drop below ``--quiet``: other work on a 2-core machine skews every figure,
so the load at each phase is recorded next to its numbers.

Full run: bundled ingest, a 1,000-page synthetic ingest, ~10k- and ~100k-chunk indexes,
query latency at each size, cold start, the naive llama-index baseline, Chroma server mode
and the API load test. ``--quick``: 100 synthetic pages, a ~3k-chunk index with stand-in
vectors, no 100k index, fewer API requests.

Writes ``bench/results/bench.json`` (``bench-quick.json`` with ``--quick``) and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import BENCH_ROOT, REPO, RESULTS, busy_processes, load_average, run_phase, wait_for_quiet, write_json
from bench.report import render


def cold_start(home: str, question: str, runs: int = 3) -> dict[str, Any]:
    """Wall time of ``kringwijs ask`` in a fresh process (imports, model and index load, answer)."""
    env = {**os.environ, "KRINGWIJS_HOME": str(BENCH_ROOT / f"kw-bench-{home}")}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "cli", "ask", question], cwd=REPO, env=env, capture_output=True, check=True
        )
        times.append(time.perf_counter() - started)
    return {"runs": [round(t, 2) for t in times], "median_s": round(statistics.median(times), 2), "home": home}


class Runner:
    """Runs phases in order, waiting for a quiet machine before each and recording the load."""

    def __init__(self, quiet: float, max_wait: float, skip: set[str]) -> None:
        self.quiet, self.max_wait, self.skip = quiet, max_wait, skip
        self.result: dict[str, Any] = {"load_1m": {}, "waits": {}}

    def phase(self, key: str, module: str, args: list[str], timeout: float = 7200) -> dict[str, Any] | None:
        if key.split(":")[0] in self.skip:
            return None
        self.result["waits"][key] = wait_for_quiet(self.quiet, self.max_wait)
        print(f"==> {key}: bench.{module} {' '.join(args)} (load {load_average()})", flush=True)
        before = load_average()
        data = run_phase(module, args, timeout=timeout)
        self.result["load_1m"][key] = {"before": before, "after": load_average()}
        return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: minutes instead of about an hour")
    parser.add_argument("--quiet", type=float, default=0.5, help="wait until the 1-min load is below this")
    parser.add_argument("--max-wait", type=float, default=1800, help="seconds to wait for quiet per phase")
    parser.add_argument("--vectors-10k", choices=["real", "synthetic"], default="real")
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        help="phases: ingest big query cold tui encoders baseline server api (e.g. --skip api)",
    )
    parser.add_argument("--merge", action="store_true", help="keep the earlier JSON's figures for skipped phases")
    parser.add_argument(
        "--bundled-only",
        action="store_true",
        help="only the bundled corpus: no synthetic ingest, no big indexes, no server mode (minutes, not an hour)",
    )
    parser.add_argument("--out", type=Path, help="result JSON (default bench/results/bench.json)")
    args = parser.parse_args(argv)
    out = args.out or RESULTS / ("bench-quick.json" if args.quick else "bench.json")
    run = Runner(args.quiet, args.max_wait, set(args.skip))
    result = run.result
    earlier = json.loads(out.read_text(encoding="utf-8")) if args.merge and out.is_file() else {}
    result.update({"quick": args.quick, "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "cpus": os.cpu_count()})
    result["busy_at_start"] = busy_processes()

    pages = 100 if args.quick else 1000
    result["ingest_bundled"] = run.phase("ingest", "ingest_bench", ["--corpus", "bundled"])
    if not args.bundled_only:
        result["ingest_synthetic"] = run.phase(
            "ingest", "ingest_bench", ["--corpus", "synthetic", "--pages", str(pages)]
        )

    sizes = (
        [("3k", 3000, "synthetic")] if args.quick else [("10k", 10000, args.vectors_10k), ("100k", 100000, "synthetic")]
    )
    if args.bundled_only:
        sizes = []
    result["big"] = {}
    for name, chunks, vectors in sizes:
        big = run.phase(f"big:{name}", "big_index", ["--name", name, "--chunks", str(chunks), "--vectors", vectors])
        if big:
            result["big"][name] = big

    result["query"] = {}
    for name, home in [("bundled", "ingest-bundled"), *[(n, n) for n, _, _ in sizes]]:
        limit = ["--limit", "50"] if args.quick else []
        query = run.phase(f"query:{name}", "query_bench", ["--home", home, *limit])
        if query:
            result["query"][name] = query

    if "cold" not in run.skip:
        run.result["waits"]["cold"] = wait_for_quiet(args.quiet, args.max_wait)
        result["cold_start"] = cold_start("ingest-bundled", "Hoeveel geld gaat er in 2026 naar VTH?")
    result["tui_first_answer"] = run.phase("tui", "tui_bench", ["--home", "ingest-bundled"])
    result["encoders"] = run.phase("encoders", "encoder_bench", [])
    result["baseline"] = run.phase("baseline", "baseline_bench", ["--home", "ingest-bundled"])
    result["baseline_scale"] = {}
    for name, _, _ in sizes:
        questions = "30" if name != "100k" else "20"
        scale = run.phase(f"baseline:{name}", "baseline_scale", ["--home", name, "--questions", questions])
        if scale:
            result["baseline_scale"][name] = scale
    if sizes:
        server_homes = ["ingest-bundled", sizes[0][0]]
        result["server"] = run.phase("server", "server_bench", ["--homes", *server_homes])
    api_home = sizes[0][0] if sizes else "ingest-bundled"
    levels = ["--levels", "1", "8"] if args.quick else ["--levels", "1", "8", "32"]
    result["api"] = run.phase("api", "api_bench", ["--home", api_home, *levels])

    result["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    for key, value in earlier.items():  # phases skipped this time keep their earlier figures
        if not result.get(key) and value:
            result[key] = value
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = {**value, **result[key]}
    write_json(out, result)
    print()
    print(render(result))
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
