"""The naive llama-index query path at 10k/100k-chunk corpus sizes, against Kringwijs, one process.

Embedding a big corpus twice (once per system) would take hours on 2 cores, so the naive
index here is built the way ``evals.baselines.naive_llama_index`` builds it (default
``SentenceSplitter`` chunking of the same files, default in-memory ``VectorStoreIndex``,
the same HuggingFace embedding for queries) except that its nodes get stand-in vectors
(``SyntheticEmbedder``) instead of being embedded. Query latency is what is compared here;
accuracy at scale is not (the stand-in vectors carry no meaning).

Usage::

    python -m bench.baseline_scale --home 10k --questions 30 --out r.json
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bench.baseline_bench import baseline_files
from bench.common import bench_home, dev_cases, peak_rss_mb, stats, write_json
from bench.embedders import SyntheticEmbedder


def naive_index(settings: Any, bundled: Any) -> tuple[Any, int, float]:
    """The baseline's default index over the same files, nodes carrying stand-in vectors."""
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    from ingest.model_prep import resolve_model
    from ingest.store import read_current

    LlamaSettings.llm = None
    LlamaSettings.embed_model = HuggingFaceEmbedding(
        model_name=resolve_model(settings),
        device="cpu",
        query_instruction=settings.query_prefix,
        text_instruction=settings.passage_prefix,
    )
    files = baseline_files(settings.knowledge_dir)
    roots = [Path(r) for r in read_current(settings).manifest["roots"] if Path(r) != settings.knowledge_dir.resolve()]
    files += [f for root in roots for f in sorted(root.rglob("*.md"))]
    started = time.perf_counter()
    docs = [Document(text=f.read_text(encoding="utf-8"), metadata={"file_name": f.name}) for f in files]
    nodes = SentenceSplitter().get_nodes_from_documents(docs)
    vectors = SyntheticEmbedder.from_settings(bundled).embed_passages([n.get_content() for n in nodes])
    for node, vector in zip(nodes, vectors, strict=True):
        node.embedding = vector.tolist()
    index = VectorStoreIndex(nodes=nodes)
    return index.as_retriever(similarity_top_k=10), len(nodes), time.perf_counter() - started


def run(home: str, bundled_home: str, questions: int) -> dict[str, Any]:
    import torch

    from assistant.service import Assistant

    settings = bench_home(home)
    torch.set_num_threads(settings.torch_threads)  # the same threads for both systems
    retriever, nodes, build_s = naive_index(settings, bench_home(bundled_home))
    assistant = Assistant(settings)
    cases = dev_cases()
    for case in cases[-5:]:  # warm-up on questions that are not measured
        retriever.retrieve(case.question)
        assistant.ask(case.question)
    naive_ms, ask_ms = [], []
    for case in cases[:questions]:
        started = time.perf_counter()
        retriever.retrieve(case.question)
        naive_ms.append((time.perf_counter() - started) * 1000)
        ask_ms.append(assistant.ask(case.question, audience=case.audience).timings_ms["total"])
    naive, ours = stats(naive_ms), stats(ask_ms)
    return {
        "home": home,
        "chunks": assistant.status()["chunks"],
        "naive_nodes": nodes,
        "naive_build_s_without_embedding": round(build_s, 1),
        "naive_query_ms": naive,
        "kringwijs_ask_ms": ours,
        "ratio_query_p50": round(naive["p50"] / ours["p50"], 2),
        "ratio_query_p95": round(naive["p95"] / ours["p95"], 2),
        "peak_rss_mb_in_process": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", required=True)
    parser.add_argument("--bundled-home", default="ingest-bundled")
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_json(args.out, run(args.home, args.bundled_home, args.questions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
