"""The strawmen a user would otherwise pick, run on the same dataset in the same run.

- naive llama-index: ``VectorStoreIndex`` with default chunking over the same files and
  the same embedding model; its answer is the top chunk cut to 600 characters;
- BM25-only and dense-only: Kringwijs' own index, one signal, top chunk as the answer.
None of them refuses: that is exactly what users of such tools complain about.
"""

from __future__ import annotations

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


def naive_llama_index(settings: Any, embed_model_path: str, files: list[Path]) -> Runner:
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core import Settings as LlamaSettings
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

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
