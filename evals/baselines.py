"""The strawmen a user would otherwise pick, run on the same dataset in the same run.

- naive llama-index: ``VectorStoreIndex`` with default chunking over the same files and
  the same embedding model; its answer is the top chunk cut to 600 characters;
- BM25-only and dense-only: Kringwijs' own index, one signal, top chunk as the answer.
None of them refuses: that is exactly what users of such tools complain about.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evals.dataset import Case
from evals.metrics import MAX_ANSWER_CHARS, CaseResult

Runner = Callable[[Case], CaseResult]


def _result(case: Case, texts: list[str], started: float, meta: list[dict[str, Any]] | None = None) -> CaseResult:
    answer = texts[0][:MAX_ANSWER_CHARS] if texts else ""
    citations = [{"n": 1, "text": texts[0], **(meta[0] if meta else {})}] if texts else []
    return CaseResult(
        case=case,
        answer=answer,
        refused=False,
        citations=citations,
        retrieved=texts,
        timings_ms={"total": (time.perf_counter() - started) * 1000},
    )


def _query(case: Case) -> str:
    # A naive tool has no follow-up handling: it searches the raw question.
    return case.question


def single_signal(assistant: Any, mode: str) -> Runner:
    def run(case: Case) -> CaseResult:
        started = time.perf_counter()
        hits = assistant.search(_query(case), k=10, audience=case.audience, mode=mode)
        return _result(case, [h["text"] for h in hits], started)

    return run


def latency_vs_naive(metrics: dict[str, Any]) -> dict[str, float] | None:
    """How many times faster Kringwijs answers than naive llama-index, measured in one run.

    The baseline keeps its own torch embedding (what a user of llama-index would run), so
    this is the end-to-end comparison the speed targets are stated in (docs/scaling.md).
    """
    ours = metrics.get("kringwijs", {}).get("overall", {})
    naive = metrics.get("naive-llama-index", {}).get("overall", {})
    out: dict[str, float] = {}
    for q in ("p50", "p95"):
        a, b = ours.get(f"latency_{q}_ms"), naive.get(f"latency_{q}_ms")
        if not a or not b:
            return None
        out[f"kringwijs_{q}_ms"], out[f"naive_llama_index_{q}_ms"] = a, b
        out[f"speedup_{q}"] = round(b / a, 2)
    return out


def naive_llama_index(settings: Any, embed_model_path: str, files: list[Path]) -> Runner:
    import torch
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core import Settings as LlamaSettings
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()  # no "Loading weights" bar in the eval output
    # The same encoder thread count as Kringwijs' query path, so the ratio compares systems,
    # not thread pools (torch would otherwise take every core for each query).
    torch.set_num_threads(max(1, int(settings.torch_threads)))
    with contextlib.redirect_stdout(io.StringIO()):  # llama-index prints "LLM is explicitly disabled…"
        LlamaSettings.llm = None
    LlamaSettings.embed_model = HuggingFaceEmbedding(
        model_name=embed_model_path,
        device="cpu",
        query_instruction=settings.query_prefix,
        text_instruction=settings.passage_prefix,
    )
    docs = [Document(text=f.read_text(encoding="utf-8"), metadata={"file_name": f.name}) for f in files]
    index = VectorStoreIndex.from_documents(docs)
    retriever = index.as_retriever(similarity_top_k=10)

    def run(case: Case) -> CaseResult:
        started = time.perf_counter()
        nodes = retriever.retrieve(_query(case))
        return _result(case, [n.node.get_content() for n in nodes], started)

    return run
