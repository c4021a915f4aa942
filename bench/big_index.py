"""Build (or reuse) a large index: the bundled knowledge plus synthetic Markdown pages.

Everything goes through the normal ``run_ingest`` -> ``IndexWriter`` -> Chroma path into its
own home (``/tmp/kw-bench-<name>``). The bundled knowledge always gets its real vectors
(replayed from the bundled bench index), so the dev questions still have their true answers
among the synthetic distractors. The synthetic pages get either real vectors (``--vectors
real``: the model embeds every chunk and sentence) or stand-in vectors (``--vectors
synthetic``: ``SyntheticEmbedder``, for the 100k-chunk index that would otherwise take hours
of embedding on 2 cores).

Usage::

    python -m bench.big_index --name 10k --chunks 10000 --vectors real --out r.json
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.common import BENCH_ROOT, bench_home, peak_rss_mb, write_json
from bench.embedders import ReplayEmbedder, SyntheticEmbedder, TimingEmbedder, stored_vectors
from bench.synthetic import generate

CHUNKS_PER_PAGE = 3.8  # measured on the synthetic Markdown pages (bench.synthetic)
MARKER = "bench-build.json"


def _du_mb(path: Path) -> float:
    out = subprocess.run(["du", "-sm", str(path)], capture_output=True, text=True, check=False).stdout
    return float(out.split()[0]) if out else 0.0


def build(name: str, chunks: int, vectors: str, seed: int, bundled_home: str) -> dict[str, Any]:
    """Ingest enough synthetic pages for about ``chunks`` chunks; reuse a matching earlier build."""
    from ingest.embedder import Embedder
    from ingest.pipeline import run_ingest
    from ingest.store import read_current

    settings = bench_home(name)
    marker = settings.home_dir / MARKER
    spec = {"chunks_target": chunks, "vectors": vectors, "seed": seed}
    if marker.is_file() and read_current(settings):
        previous = json.loads(marker.read_text(encoding="utf-8"))
        if all(previous.get(k) == v for k, v in spec.items()):
            return {**previous, "reused": True}

    bundled = bench_home(bundled_home)
    real = stored_vectors(bundled)
    bundled_chunks = int(read_current(bundled).manifest["chunks"])
    pages = math.ceil(max(0, chunks - bundled_chunks) / CHUNKS_PER_PAGE)
    corpus = BENCH_ROOT / f"kw-bench-corpus-{name}"
    shutil.rmtree(corpus, ignore_errors=True)
    started = time.perf_counter()
    info = generate(corpus, pages, seed=seed, pdf_share=0.0)
    generate_s = time.perf_counter() - started

    timing = None
    if vectors == "real":
        timing = TimingEmbedder(Embedder(settings))
        fallback: Any = timing
    else:
        fallback = SyntheticEmbedder.from_settings(bundled)
    embedder = ReplayEmbedder(real, fallback)
    started = time.perf_counter()
    report = run_ingest(settings, [corpus], rebuild=True, embedder=embedder)
    build_s = time.perf_counter() - started
    assert report.ok, report.failed
    started = time.perf_counter()
    again = run_ingest(settings, embedder=embedder)
    reingest_s = time.perf_counter() - started
    assert again.embedded == 0

    result: dict[str, Any] = {
        **spec,
        "home": str(settings.home_dir),
        "corpus": str(corpus),
        "pages": info.pages,
        "files": len(info.files) + 2,
        "chunks": report.chunks,
        "sentences": read_current(settings).manifest.get("sentences"),
        "generate_s": round(generate_s, 2),
        "build_s": round(build_s, 1),
        "embedded_by_model": embedder.misses if vectors == "real" else 0,
        "reingest_nochange_s": round(reingest_s, 3),
        "index_disk_mb": _du_mb(settings.index_dir / report.generation),
        "bm25_disk_mb": _du_mb(settings.index_dir / report.generation / "bm25"),
        "peak_rss_mb_in_process": peak_rss_mb(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    if timing and timing.calls:
        texts = sum(c[0] for c in timing.calls)
        seconds = sum(c[1] for c in timing.calls)
        result["embedding"] = {"texts": texts, "seconds": round(seconds, 1), "texts_per_s": round(texts / seconds, 1)}
    write_json(marker, result)
    return {**result, "reused": False}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", required=True)
    parser.add_argument("--chunks", type=int, required=True)
    parser.add_argument("--vectors", choices=["real", "synthetic"], default="synthetic")
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--bundled-home", default="ingest-bundled")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_json(args.out, build(args.name, args.chunks, args.vectors, args.seed, args.bundled_home))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
