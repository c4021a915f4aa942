"""Ingest benchmark (one corpus per process): PDF pages/s, embedding chunks/s, stages, re-ingest.

Stages come from the pipeline's own progress hooks, the embedding split from a timing
wrapper around the real ``Embedder``, and the store/commit split from a timing subclass of
``IndexWriter``; nothing in ingest/ is changed to measure it.

Usage::

    python -m bench.ingest_bench --corpus bundled --out r.json
    python -m bench.ingest_bench --corpus synthetic --pages 1000 --out r.json
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import BENCH_ROOT, REPO, bench_home, incremental_probe, peak_rss_mb, write_json
from bench.embedders import TimingEmbedder
from bench.synthetic import CorpusInfo, generate
from ingest import pipeline
from ingest.store import IndexWriter


class StageClock:
    """A ``Progress`` that timestamps the pipeline's stages."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = [("begin", time.perf_counter())]
        self.totals: dict[str, int] = {}

    def start(self, label: str, total: int) -> None:
        self.marks.append((f"start:{label}", time.perf_counter()))
        self.totals[label] = total

    def advance(self, n: int = 1) -> None:
        pass

    def finish(self) -> None:
        self.marks.append(("finish", time.perf_counter()))


class TimedWriter(IndexWriter):
    """The real writer, with the commit (BM25 rebuild + manifest + pointer) timed."""

    commit_s = 0.0

    def commit(self, manifest: dict[str, Any]):
        started = time.perf_counter()
        try:
            return super().commit(manifest)
        finally:
            TimedWriter.commit_s = time.perf_counter() - started


def pdf_parse(files: list[Path]) -> dict[str, Any]:
    """Pages/s of the project's pypdf loader alone (no chunking, no embedding)."""
    from ingest.loaders.pdf import load_pdf

    pdfs = [f for f in files if f.suffix == ".pdf"]
    if not pdfs:
        return {"files": 0}
    started = time.perf_counter()
    pages = 0
    for path in pdfs:
        doc = load_pdf(path, doc_id=path.stem, source=str(path))
        pages += max(p for b in doc.blocks for p in b.pages)
    seconds = time.perf_counter() - started
    return {"files": len(pdfs), "pages": pages, "seconds": round(seconds, 2), "pages_per_s": round(pages / seconds, 1)}


def _stages(clock: StageClock, total_s: float) -> dict[str, float]:
    names = {
        "start:Bestanden lezen en opdelen": "read_chunk",
        "start:Passages en zinnen omzetten naar vectoren": "embed",
    }
    out: dict[str, float] = {}
    marks = clock.marks
    out["discover_hash"] = marks[1][1] - marks[0][1] if len(marks) > 1 else total_s
    for i, (label, t) in enumerate(marks):
        if label in names and i + 1 < len(marks):
            out[names[label]] = marks[i + 1][1] - t
    out["store_and_commit"] = total_s - sum(out.values())
    out["commit_bm25_manifest"] = TimedWriter.commit_s
    out["chroma_add"] = out["store_and_commit"] - TimedWriter.commit_s
    return {k: round(v, 2) for k, v in out.items()}


def cli_reingest(home: Path, knowledge: Path) -> float:
    """Wall time of ``kringwijs ingest`` with nothing changed (process start included)."""
    env = {"KRINGWIJS_HOME": str(home), "KRINGWIJS_KNOWLEDGE_DIR": str(knowledge)}
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "cli", "ingest"],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return time.perf_counter() - started


def run(corpus: str, pages: int, seed: int) -> dict[str, Any]:
    from ingest.embedder import Embedder, encoder_id

    if corpus == "synthetic":
        root = BENCH_ROOT / f"kw-bench-corpus-{pages}p-s{seed}"
        shutil.rmtree(root, ignore_errors=True)
        info = generate(root, pages, seed=seed, pdf_share=0.3)
        settings = bench_home(f"ingest-{pages}p", knowledge_dir=root)
    else:
        settings = bench_home("ingest-bundled")
        root = settings.knowledge_dir
        info = CorpusInfo(root=root, files=sorted(p for p in root.rglob("*") if p.is_file()))
    shutil.rmtree(settings.index_dir, ignore_errors=True)
    result: dict[str, Any] = {"corpus": corpus, "root": str(root), "pages": info.pages, "pdf_pages": info.pdf_pages}
    result["pdf_parse"] = pdf_parse(info.files)

    embedder = TimingEmbedder(Embedder(settings))
    started = time.perf_counter()
    _ = embedder.dimension  # model load, kept out of the ingest figures
    result["model_load_s"] = round(time.perf_counter() - started, 2)
    result["encoder"] = encoder_id(settings)
    result["query_threads"] = settings.torch_threads
    result["embed_batch_size"] = settings.embed_batch_size
    result["ingest_threads"] = settings.ingest_threads  # passages; query_threads is the query setting
    result["ingest_bf16"] = embedder.bulk_bf16

    clock = StageClock()
    pipeline.IndexWriter = TimedWriter  # type: ignore[misc]  (bench-only: time the commit)
    started = time.perf_counter()
    report = pipeline.run_ingest(settings, embedder=embedder, progress=clock)
    total = time.perf_counter() - started
    assert report.ok, report.failed
    stages = _stages(clock, total)
    (n_chunks, chunk_s, chunk_chars), (n_units, unit_s, unit_chars) = embedder.calls[:2]
    embed_s = chunk_s + unit_s
    result.update(
        {
            "files": len(report.added),
            "chunks": n_chunks,
            "units": n_units,
            "total_s": round(total, 2),
            "stages_s": stages,
            "embedding": {
                "seconds": round(embed_s, 2),
                "chunks_per_s": round(n_chunks / embed_s, 1),
                "vectors_per_s": round((n_chunks + n_units) / embed_s, 1),
                "chunk_texts_per_s": round(n_chunks / chunk_s, 1),
                "unit_texts_per_s": round(n_units / unit_s, 1),
                "avg_chunk_chars": round(chunk_chars / n_chunks),
                "avg_unit_chars": round(unit_chars / n_units),
            },
            "chunks_per_s_end_to_end": round(n_chunks / total, 1),
        }
    )
    again = []
    for _ in range(3):
        t = time.perf_counter()
        rerun = pipeline.run_ingest(settings, embedder=embedder)
        again.append(time.perf_counter() - t)
        assert rerun.embedded == 0 and not rerun.changed
    result["reingest_nochange_s"] = {"in_process": round(min(again), 3), "in_process_max": round(max(again), 3)}
    result["reingest_nochange_s"]["cli"] = round(cli_reingest(settings.home_dir, settings.knowledge_dir), 2)
    result["incremental_one_file"] = incremental_probe(settings, embedder)
    result["peak_rss_mb_in_process"] = peak_rss_mb()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=["bundled", "synthetic"], default="bundled")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_json(args.out, run(args.corpus, args.pages, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
