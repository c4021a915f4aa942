"""Where the dense search time goes: Chroma queries with and without the audience filter.

The retriever asks Chroma for ``candidates`` chunks with ``where={"audience": "public"}``.
This probe times the same query vectors (real dev questions) against one bench index:
- ``filtered``: exactly what the retriever does;
- ``unfiltered``: no ``where`` (pure HNSW);
- ``post_filter``: no ``where``, twice the candidates, the audience checked in Python;
and reports how many of the filtered top-``n`` the post-filtered variant also returns.

Usage::

    python -m bench.dense_probe --home 100k --out r.json
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bench.common import bench_home, dev_cases, stats, write_json


def run(home: str, questions: int, chroma_url: str | None) -> dict[str, Any]:
    from assistant.index import IndexReader
    from ingest.embedder import Embedder

    settings = bench_home(home, chroma_url=chroma_url)
    reader = IndexReader(settings)
    embedder = Embedder(settings)
    n = settings.candidates
    vectors = [embedder.embed_query(c.question).tolist() for c in dev_cases()[:questions]]
    include = ["documents", "metadatas", "distances"]
    where = {"audience": "public"}
    for vec in vectors[:5]:  # warm the HNSW segment and metadata caches
        reader.chunks.query(query_embeddings=[vec], n_results=n, where=where, include=include)
        reader.chunks.query(query_embeddings=[vec], n_results=2 * n, include=include)
    timings: dict[str, list[float]] = {"filtered": [], "unfiltered": [], "post_filter": []}
    overlap, short = [], 0
    for vec in vectors:
        t = time.perf_counter()
        filtered = reader.chunks.query(query_embeddings=[vec], n_results=n, where=where, include=include)
        timings["filtered"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        reader.chunks.query(query_embeddings=[vec], n_results=n, include=include)
        timings["unfiltered"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        wide = reader.chunks.query(query_embeddings=[vec], n_results=2 * n, include=include)
        kept = [i for i, m in zip(wide["ids"][0], wide["metadatas"][0], strict=True) if m["audience"] == "public"]
        timings["post_filter"].append((time.perf_counter() - t) * 1000)
        short += len(kept) < n
        overlap.append(len(set(kept[:n]) & set(filtered["ids"][0])) / max(1, len(filtered["ids"][0])))
    return {
        "home": home,
        "chroma": "server" if chroma_url else "embedded",
        "chunks": reader.chunks.count(),
        "candidates": n,
        "query_ms": {k: stats(v) for k, v in timings.items()},
        "post_filter_overlap_with_filtered": round(sum(overlap) / len(overlap), 4),
        "post_filter_fewer_than_n": short,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", required=True)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--chroma-url")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_json(args.out, run(args.home, args.questions, args.chroma_url))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
