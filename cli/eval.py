"""``kringwijs eval``: run a gold set and print the metrics table (``evals.runner`` does the work).

Usage::

    kringwijs eval --dataset evals/datasets/test --baselines --json out.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.table import Table

from cli.common import settings_for
from cli.console import RichProgress, console, fail
from evals.dataset import DatasetError
from evals.runner import HEADLINE, evaluate


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
    speed = report.get("latency_vs_naive_llama_index")
    if speed:
        console.print(
            f"Snelheid in deze run: Kringwijs p50 {speed['kringwijs_p50_ms']:.0f} ms, naïeve llama-index "
            f"p50 {speed['naive_llama_index_p50_ms']:.0f} ms: {speed['speedup_p50']:.1f}× zo snel "
            f"(p95 {speed['speedup_p95']:.1f}×)."
        )
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


def cmd_eval(args: argparse.Namespace) -> int:
    try:
        report = evaluate(
            settings_for(args),
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
