"""Chroma server mode: the same indexes served by ``chroma run``, and what the scale path costs.

Starts ``chroma run`` on 127.0.0.1, loads each given embedded bench index into it through
``run_ingest`` (vectors replayed from the embedded index, so the model is not paid twice),
then measures, per index:
- the server-mode ingest (HTTP adds) and a one-file incremental ingest, which copies the
  whole previous generation through the server, next to the same change in embedded mode
  (which copies the generation's folder);
- warm ``ask``/``search`` latency through the HTTP client (``bench.query_bench`` in a child);
- rebuilding BM25 from the server's documents (what a replica without the shared index
  volume would have to do at start);
- the Chroma server's RSS.

Usage::

    python -m bench.server_bench --homes ingest-bundled 10k --out r.json
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.common import BENCH_ROOT, bench_home, incremental_probe, rss_of, run_phase, stop, write_json
from bench.embedders import ReplayEmbedder, stored_vectors


@contextmanager
def chroma_server(path: Path, timeout_s: float = 60) -> Iterator[tuple[str, int]]:
    """``chroma run`` on a free loopback port; yields (url, pid) and always stops it."""
    import sys

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    exe = str(Path(sys.executable).with_name("chroma"))
    log = (path.parent / f"{path.name}.log").open("wb")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not start; see {log.name}")
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url, proc.pid
    finally:
        stop(proc)
        log.close()


def one_index(name: str, url: str) -> dict[str, Any]:
    from ingest.bm25 import build as build_bm25
    from ingest.embedder import Embedder
    from ingest.pipeline import run_ingest
    from ingest.store import bm25_corpus, read_current

    source = bench_home(name)
    vectors = stored_vectors(source)
    server = bench_home(f"server-{name}", chroma_url=url)
    shutil.rmtree(server.index_dir, ignore_errors=True)
    source_manifest = read_current(source).manifest
    embedder = ReplayEmbedder(vectors, Embedder(server))
    extra = [Path(r) for r in source_manifest["roots"]]
    started = time.perf_counter()
    report = run_ingest(server, extra, embedder=embedder)
    load_s = time.perf_counter() - started
    assert report.ok and embedder.misses == 0, (report.failed, embedder.misses)

    query = run_phase("query_bench", ["--home", f"server-{name}", "--chroma-url", url])

    _ = embedder.fallback.dimension  # the new file's few vectors: model loaded before timing
    server_probe = incremental_probe(server, embedder)
    embedded_probe = incremental_probe(source, embedder)

    from assistant.index import IndexReader

    reader = IndexReader(server)
    started = time.perf_counter()
    ids, texts = bm25_corpus(reader.chunks)  # exactly what an ingest feeds BM25
    fetch_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        build_bm25(ids, texts, Path(tmp))
        bm25_s = time.perf_counter() - started
    return {
        "index": name,
        "chunks": report.chunks,
        "load_into_server_s": round(load_s, 1),
        "incremental_one_file": {"server": server_probe, "embedded": embedded_probe},
        "bm25_rebuild_from_server_s": {"fetch": round(fetch_s, 2), "build": round(bm25_s, 2)},
        "query": query,
    }


def run(homes: list[str]) -> dict[str, Any]:
    data = BENCH_ROOT / "kw-bench-chroma-data"
    shutil.rmtree(data, ignore_errors=True)
    out: dict[str, Any] = {"indexes": []}
    with chroma_server(data) as (url, pid):
        for name in homes:
            out["indexes"].append(one_index(name, url))
            out["indexes"][-1]["chroma_server_rss_mb"] = rss_of(pid)
    out["chroma_data_mb"] = float(
        subprocess.run(["du", "-sm", str(data)], capture_output=True, text=True).stdout.split()[0]
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--homes", nargs="+", default=["ingest-bundled"])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_json(args.out, run(args.homes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
