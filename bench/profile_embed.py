"""Embedding throughput experiments: threads, batch size, bf16 autocast, int8 dynamic quantisation.

Embeds the same texts (chunks and sentences of the bundled index, the real ingest mix) with
``ingest.embedder.Embedder`` and variants of its model, and reports texts/s, single-query
latency on the dev questions, and the cosine of each variant's vectors against the unchanged
fp32 model, so a faster variant can be judged on what it changes. Profile a run with py-spy::

    py-spy record -o embed.svg -- python -m bench.profile_embed --variants fp32
    python -m bench.profile_embed --threads 1 2 --batch 16 32 64 --variants fp32 bf16 int8 --out r.json
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import DEV, bench_home, dev_cases, stats, write_json


def sample_texts(home: str, chunks: int, units: int) -> tuple[list[str], list[str]]:
    """Chunk embed texts and evidence sentences as the writer embeds them (bundled index)."""
    from bench.embedders import stored_vectors

    texts = list(stored_vectors(bench_home(home)))
    long = [t for t in texts if len(t) > 300][:chunks]
    short = [t for t in texts if len(t) <= 300][:units]
    return long, short


def _variant(embedder: Any, name: str) -> Callable[[], AbstractContextManager[Any]]:
    """Prepare the model for ``name``; return the context to encode in."""
    import torch

    if name == "int8":
        module = embedder.model[0]  # sentence-transformers' Transformer; ``auto_model`` is read-only
        module.model = torch.ao.quantization.quantize_dynamic(module.model, {torch.nn.Linear}, dtype=torch.qint8)
        return nullcontext
    if name == "bf16":
        return lambda: torch.autocast("cpu", dtype=torch.bfloat16)
    return nullcontext


def measure(home: str, threads: int, batch: int, variant: str, texts: list[str], reference: np.ndarray | None):
    import torch

    from ingest.embedder import Embedder

    settings = bench_home(home).model_copy(
        update={"torch_threads": threads, "embed_batch_size": batch, "embedding_backend": "torch"}
    )
    embedder = Embedder(settings)
    _ = embedder.dimension  # load (and set threads) before timing
    torch.set_num_threads(threads)
    context = _variant(embedder, variant)
    with context():
        embedder.embed_passages(texts[:16])  # first-call kernel setup
        started = time.perf_counter()
        cpu = time.process_time()
        vectors = embedder.embed_passages(texts)
        seconds = time.perf_counter() - started
        cpu_s = time.process_time() - cpu
        query_ms = []
        for case in dev_cases():  # distinct questions: the query cache never hits
            t = time.perf_counter()
            embedder.embed_query(case.question)
            query_ms.append((time.perf_counter() - t) * 1000)
    row: dict[str, Any] = {
        "threads": threads,
        "batch": batch,
        "variant": variant,
        "texts": len(texts),
        "seconds": round(seconds, 2),
        "texts_per_s": round(len(texts) / seconds, 1),
        "cpu_per_text_ms": round(cpu_s / len(texts) * 1000, 1),
        "query_ms": stats(query_ms),
    }
    if reference is not None:
        cos = np.sum(vectors * reference, axis=1)
        row["cosine_vs_fp32"] = {"min": round(float(cos.min()), 5), "mean": round(float(cos.mean()), 5)}
    return row, vectors


def eval_variant(variant: str, home: str) -> dict[str, Any]:
    """Ingest the bundled knowledge with ``variant`` for passages and queries, then run the dev gold set."""
    import shutil

    from assistant.service import Assistant
    from evals.runner import evaluate
    from ingest.embedder import Embedder
    from ingest.pipeline import run_ingest

    settings = bench_home(f"variant-{variant}")
    shutil.rmtree(settings.index_dir, ignore_errors=True)
    embedder = Embedder(settings)
    context = _variant(embedder, variant)

    class VariantEmbedder:
        """The real embedder with every encode inside the variant's context."""

        def __getattr__(self, name: str) -> Any:
            return getattr(embedder, name)

        def embed_passages(self, texts: Any, progress: Any = None) -> np.ndarray:
            with context():
                return embedder.embed_passages(texts, progress=progress)

        def embed_query(self, text: str) -> np.ndarray:
            with context():
                return embedder.embed_query(text)

    wrapped = VariantEmbedder()
    started = time.perf_counter()
    run_ingest(settings, embedder=wrapped)
    ingest_s = time.perf_counter() - started
    report = evaluate(settings, [DEV], assistant=Assistant(settings, embedder=wrapped))
    overall = report["metrics"]["kringwijs"]["overall"]
    keys = ("accuracy", "answer_accuracy", "refusal_recall", "citation_support", "hit@1", "hit@5", "mrr")
    return {"variant": variant, "ingest_s": round(ingest_s, 1), **{k: overall.get(k) for k in keys}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", default="ingest-bundled")
    parser.add_argument("--chunks", type=int, default=60, help="long texts (chunks) in the sample")
    parser.add_argument("--units", type=int, default=300, help="short texts (sentences) in the sample")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch", type=int, nargs="+", default=[32])
    parser.add_argument("--variants", nargs="+", default=["fp32"], choices=["fp32", "bf16", "int8"])
    parser.add_argument("--eval", action="store_true", help="also ingest + dev eval per variant (threads[0])")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.eval:
        import torch

        torch.set_num_threads(args.threads[0])
        evals = [eval_variant(v, args.home) for v in args.variants]
        for row in evals:
            print(row, flush=True)
        if args.out:
            write_json(args.out, {"eval": evals})
        return 0
    long, short = sample_texts(args.home, args.chunks, args.units)
    texts = long + short
    print(f"{len(long)} chunks (avg {np.mean([len(t) for t in long]):.0f} chars) + {len(short)} sentences")
    rows, reference = [], None
    for variant in args.variants:
        for threads in args.threads:
            for batch in args.batch:
                row, vectors = measure(args.home, threads, batch, variant, texts, reference)
                if reference is None and variant == "fp32":
                    reference = vectors
                rows.append(row)
                print(row, flush=True)
    if args.out:
        write_json(args.out, {"rows": rows, "chunks": len(long), "units": len(short)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
