"""Query benchmark (one index per process): warm ``ask`` and ``search`` latency with the split.

- ``ask``: every standalone dev question once (first time: no query-vector cache), after
  ``Assistant.warm_up`` (what the API does before ``/readyz``) and a warm-up on test-split
  questions; p50/p95 of the total and of each part of ``Answer.timings_ms`` (embed, dense,
  bm25, fusion, answer).
- ``search``: the same questions through a second ``Assistant`` with its own embedder, so
  its query vectors are not cached by the ``ask`` pass either.
- cache: the first questions asked again: the query embedding comes from the LRU cache.

Usage::

    python -m bench.query_bench --home bundled --out r.json [--chroma-url http://127.0.0.1:8811]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bench.common import REPO, bench_home, dev_cases, peak_rss_mb, stats, write_json

PARTS = ("embed", "dense", "bm25", "fusion", "answer", "total")


def warmup_questions(n: int) -> list[str]:
    from evals.dataset import load_cases

    cases = [c for c in load_cases([REPO / "evals" / "datasets" / "test"]) if not c.history]
    return [c.question for c in cases[:n]]


def run(home: str, chroma_url: str | None, limit: int, threads: int | None, warmup: int) -> dict[str, Any]:
    import sys

    from assistant.service import Assistant
    from ingest.embedder import Embedder, encoder_id

    settings = bench_home(home, chroma_url=chroma_url)
    if threads:
        settings = settings.model_copy(update={"torch_threads": threads})
    started = time.perf_counter()
    asker = Assistant(settings, embedder=Embedder(settings))
    searcher = Assistant(settings, embedder=Embedder(settings))
    open_s = time.perf_counter() - started
    asker.reader.wait_for_vectors()
    searcher.reader.wait_for_vectors()
    asker.warm_up()  # as the API does before /readyz: word list and criteria records
    searcher.warm_up()
    for question in warmup_questions(warmup):
        asker.ask(question)
        searcher.search(question, k=10)
    cases = dev_cases()[: limit or None]

    parts: dict[str, list[float]] = {p: [] for p in PARTS}
    wall, refused = [], 0
    for case in cases:
        t = time.perf_counter()
        answer = asker.ask(case.question, audience=case.audience)
        wall.append((time.perf_counter() - t) * 1000)
        refused += answer.refused
        for part in PARTS:
            parts[part].append(float(answer.timings_ms.get(part, 0.0)))
    search_wall = []
    for case in cases:
        t = time.perf_counter()
        searcher.search(case.question, k=10, audience=case.audience)
        search_wall.append((time.perf_counter() - t) * 1000)
    cached: dict[str, list[float]] = {"embed": [], "total": []}
    for case in cases[:20]:
        answer = asker.ask(case.question, audience=case.audience)
        cached["embed"].append(float(answer.timings_ms.get("embed", 0.0)))
        cached["total"].append(float(answer.timings_ms.get("total", 0.0)))

    status = asker.status()
    return {
        "home": str(settings.home_dir),
        "chroma": "server" if chroma_url else "embedded",
        "chunks": status["chunks"],
        "sentences": status["sentences"],
        "questions": len(cases),
        "refused": refused,
        "encoder": encoder_id(settings),
        "query_threads": settings.torch_threads,
        "torch_imported": "torch" in sys.modules,
        "open_s": round(open_s, 2),
        "ask_ms": {part: stats(values) for part, values in parts.items()},
        "ask_wall_ms": stats(wall),
        "search_ms": stats(search_wall),
        "cached_repeat_ms": {k: stats(v) for k, v in cached.items()},
        "peak_rss_mb_in_process": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", required=True, help="bench home name: /tmp/kw-bench-<home>")
    parser.add_argument("--chroma-url")
    parser.add_argument("--limit", type=int, default=0, help="at most this many dev questions (0: all)")
    parser.add_argument("--threads", type=int, default=0, help="encoder threads per query (0: the setting)")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_json(args.out, run(args.home, args.chroma_url, args.limit, args.threads or None, args.warmup))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
