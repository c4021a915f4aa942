"""The naive llama-index baseline (``evals.baselines.naive_llama_index``) vs Kringwijs, one process.

Same files, same embedding model, same dev questions, same machine state:
- ingest: building the baseline's ``VectorStoreIndex`` (default ``SentenceSplitter`` chunking,
  in-memory vector store) vs the Kringwijs ingest measured by ``bench.ingest_bench``;
- query: the baseline's retrieve (top 10, its "answer" is the top chunk) vs ``Assistant.ask``
  and ``Assistant.search`` on an index of the same files;
- accuracy on the same cases with the eval suite's own metrics (``evals.metrics.summarise``).

Usage::

    python -m bench.baseline_bench --home ingest-bundled --out r.json
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bench.common import bench_home, dev_cases, peak_rss_mb, stats, write_json


def baseline_files(knowledge: Path) -> list[Path]:
    """The files the eval runner hands the baseline: the documents plus the record YAML."""
    from ingest.loaders.records import record_files

    docs = [p for p in sorted((knowledge / "documents").rglob("*")) if p.suffix in {".md", ".txt"}]
    return [p for p in docs if p.name != "README.md"] + record_files(knowledge)


def _node_count(files: list[Path]) -> int:
    # What VectorStoreIndex.from_documents chunks into by default (SentenceSplitter 1024/200).
    from llama_index.core import Document
    from llama_index.core.node_parser import SentenceSplitter

    docs = [Document(text=f.read_text(encoding="utf-8")) for f in files]
    return len(SentenceSplitter().get_nodes_from_documents(docs))


def run(home: str, threads: int | None) -> dict[str, Any]:
    import torch

    from assistant.service import Assistant
    from evals.baselines import naive_llama_index
    from evals.metrics import summarise
    from evals.runner import run_assistant
    from ingest.embedder import encoder_id
    from ingest.model_prep import resolve_model

    settings = bench_home(home)
    # Both systems get the same torch threads (the Embedder would set its own on first use).
    settings = settings.model_copy(update={"torch_threads": threads or settings.torch_threads})
    torch.set_num_threads(settings.torch_threads)
    files = baseline_files(settings.knowledge_dir)
    model_path = resolve_model(settings)

    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # the "Loading weights" bar would land in the bench log
    started = time.perf_counter()
    HuggingFaceEmbedding(model_name=model_path, device="cpu")  # load time, measured on its own
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    naive = naive_llama_index(settings, model_path, files)
    build_s = time.perf_counter() - started
    nodes = _node_count(files)

    all_cases = dev_cases(standalone=False)
    standalone = [c for c in all_cases if not c.history]
    for case in standalone[:5]:
        naive(case)  # warm-up
    naive_results = [naive(c) for c in all_cases]
    naive_ms = [r.timings_ms["total"] for r, c in zip(naive_results, all_cases, strict=True) if not c.history]

    assistant = Assistant(settings)
    assistant.reader.wait_for_vectors()  # both systems warm: the baseline's index is built by now
    assistant.warm_up()  # what the API does before /readyz
    for case in standalone[:5]:
        assistant.ask(case.question)
    ours = run_assistant(assistant, all_cases)
    ask_ms = [r.timings_ms["total"] for r in ours if not r.case.history]
    # Same threads, same process: the baseline and Kringwijs took turns on the same machine state.
    naive_stats, ask_stats = stats(naive_ms), stats(ask_ms)
    return {
        "files": [str(f) for f in files],
        "torch_threads": torch.get_num_threads(),
        "encoder": encoder_id(settings),  # Kringwijs' encoder; the baseline keeps llama-index's torch one
        "naive": {
            "model_load_s": round(load_s, 2),
            "build_s_incl_model_load": round(build_s, 2),
            "build_s": round(max(0.0, build_s - load_s), 2),
            "nodes": nodes,
            "nodes_per_s": round(nodes / max(1e-9, build_s - load_s), 1),
            "query_ms": naive_stats,
            "metrics": summarise(naive_results),
        },
        "kringwijs": {"ask_ms": ask_stats, "metrics": summarise(ours)},
        "ratio_query_p50": round(naive_stats["p50"] / ask_stats["p50"], 2),
        "ratio_query_p95": round(naive_stats["p95"] / ask_stats["p95"], 2),
        "peak_rss_mb_in_process": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", default="ingest-bundled", help="bench home with the bundled index")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_json(args.out, run(args.home, args.threads or None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
