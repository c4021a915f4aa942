"""``kringwijs eval``: run a gold set through the same code path as ``kringwijs ask``.

Usage::

    kringwijs eval --dataset evals/datasets/test --baselines --json out.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from rich.table import Table

from evals.dataset import DatasetError, load_cases
from evals.metrics import CaseResult, by_category, summarise
from kringwijs.console import console, fail
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
    return report


def _baseline_files(settings: Settings) -> list[Path]:
    from ingest.loaders.records import record_files

    root = settings.knowledge_dir
    docs = [p for p in sorted((root / "documents").rglob("*")) if p.suffix in {".md", ".txt"} and p.name != "README.md"]
    return docs + record_files(root)


def print_report(report: dict[str, Any]) -> None:
    systems = report["metrics"]
    table = Table(title="Kringwijs evaluatie", show_lines=False)
    table.add_column("metriek")
    for name in systems:
        table.add_column(name, justify="right")
    if len(systems) > 1:
        table.add_column("kringwijs / beste baseline", justify="right")
    for key in ["cases", *HEADLINE]:
        row = [key]
        values = [systems[n]["overall"].get(key) for n in systems]
        row += ["–" if v is None else f"{v}" for v in values]
        if len(systems) > 1:
            ours, others = values[0], [v for v in values[1:] if isinstance(v, int | float)]
            if isinstance(ours, int | float) and others and key != "cases":
                best = min(others) if "latency" in key else max(others)
                row.append(f"{ours / best:.2f}×" if best else "–")
            else:
                row.append("")
        table.add_row(*row)
    console.print(table)
    cats = Table(title="Per categorie (kringwijs)")
    for col in ("categorie", "n", "accuracy", "citation", "hit@5"):
        cats.add_column(col, justify="right" if col != "categorie" else "left")
    for cat, m in systems["kringwijs"]["categories"].items():
        cats.add_row(
            cat, str(m["cases"]), str(m.get("accuracy")), str(m.get("citation_support")), str(m.get("hit@5", "–"))
        )
    console.print(cats)
    failed = [c for c in report["cases"] if not c["passed"]]
    if failed:
        console.print(f"[bold]{len(failed)} vragen niet goed:[/]")
        for c in failed[:40]:
            console.print(f"  [red]{c['id']}[/] {c['question']}  →  {c['answer'][:140]!r}", soft_wrap=True)


def run_eval_command(settings: Settings, args: argparse.Namespace) -> int:
    from kringwijs.console import RichProgress

    try:
        report = evaluate(
            settings,
            [Path(d) for d in args.dataset],
            baselines=args.baselines,
            mode=args.mode,
            limit=args.limit,
            progress=RichProgress(),
        )
    except DatasetError as exc:
        return fail(str(exc))
    print_report(report)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        console.print(f"Resultaten geschreven naar {args.json_out}")
    return 0
