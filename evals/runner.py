"""Run a gold set through the same code path as ``kringwijs ask`` (``kringwijs eval``, ``cli/eval.py``).

Usage::

    report = evaluate(settings, [Path("evals/datasets/test")], baselines=True)
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from evals.dataset import load_cases
from evals.metrics import CaseResult, by_category, summarise
from kringwijs.settings import Settings

HEADLINE = [
    "answer_accuracy",
    "refusal_precision",
    "refusal_recall",
    "citation_support",
    "hit@5",
    "mrr",
    "latency_p50_ms",
    "latency_p95_ms",
]


def run_assistant(assistant: Any, cases: list, mode: str | None = None, progress: Any = None) -> list[CaseResult]:
    results = []
    for case in cases:
        answer = assistant.ask(case.question, case.history, audience=case.audience, mode=mode)
        retrieved = [h["text"] for h in assistant.search(answer.standalone_query, k=10, audience=case.audience)]
        results.append(
            CaseResult(
                case=case,
                answer=answer.answer,
                refused=answer.refused,
                citations=[c.model_dump() for c in answer.citations],
                retrieved=retrieved,
                timings_ms=answer.timings_ms,
                fallback_reason=answer.fallback_reason,
                mode=answer.mode,
                trace=answer.trace,
            )
        )
        if progress:
            progress.advance()
    return results


def evaluate(
    settings: Settings,
    datasets: list[Path],
    *,
    baselines: bool = False,
    mode: str | None = None,
    limit: int = 0,
    assistant: Any = None,
    progress: Any = None,
) -> dict[str, Any]:
    """Run Kringwijs (and optionally the baselines); return the JSON-ready report."""
    from assistant.service import Assistant

    cases = load_cases(datasets)
    if limit:
        cases = cases[:limit]
    assistant = assistant or Assistant(settings)
    assistant.ask("opwarmen")  # load the model before timing anything
    assistant.reader.wait_for_vectors()  # every case on the same (in-memory, exact) dense path
    if progress:
        progress.start("Vragen beantwoorden", len(cases))
    results = run_assistant(assistant, cases, mode=mode, progress=progress)
    if progress:
        progress.finish()
    report: dict[str, Any] = {
        "metrics": {"kringwijs": {"overall": summarise(results), "categories": by_category(results)}},
        "cases": [r.to_json() for r in results],
        "datasets": [str(d) for d in datasets],
        "mode": mode or settings.mode,
        "run_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    if baselines:
        from evals.baselines import naive_llama_index, single_signal
        from ingest.model_prep import resolve_model

        runners = {
            "naive-llama-index": naive_llama_index(settings, resolve_model(settings), _baseline_files(settings)),
            "bm25-only": single_signal(assistant, "bm25"),
            "dense-only": single_signal(assistant, "dense"),
        }
        for name, run in runners.items():
            base_results = [run(c) for c in cases]
            report["metrics"][name] = {"overall": summarise(base_results), "categories": by_category(base_results)}
        from evals.baselines import latency_vs_naive

        report["latency_vs_naive_llama_index"] = latency_vs_naive(report["metrics"])
    return report


def _baseline_files(settings: Settings) -> list[Path]:
    from ingest.loaders.records import record_files

    root = settings.knowledge_dir
    docs = [p for p in sorted((root / "documents").rglob("*")) if p.suffix in {".md", ".txt"} and p.name != "README.md"]
    return docs + record_files(root)
