"""``kringwijs fit``: re-fit the answer decision on the labelled cases (``evals.fit`` does the work).

Usage::

    kringwijs fit                      # train on evals/datasets/users/train, choose on dev
    kringwijs fit --out /tmp/p.json    # write somewhere else than assistant/params/decision.json
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from cli.common import settings_for
from cli.console import RichProgress, console, fail
from evals.dataset import DatasetError, load_cases


def cmd_fit(args: argparse.Namespace) -> int:
    from assistant.service import Assistant
    from evals.fit import run_fit, write_params

    try:
        train = load_cases([Path(p) for p in args.train])
        dev = load_cases([Path(p) for p in args.dev])
    except DatasetError as exc:
        return fail(str(exc))
    assistant = Assistant(settings_for(args))
    result = run_fit(assistant, train, dev, progress=RichProgress())
    path = write_params(result, Path(args.out) if args.out else None)
    report = result["report"]
    table = Table(
        title=f"Beslissing gefit (L2 {report['l2']}, gekozen op dev; {report['train_cases']} trainingsvragen)"
    )
    for col in ("", "accuracy", "antwoorden juist", "weigeringen: precisie", "recall", "beste zin juist"):
        table.add_column(col, justify="right")
    rows = {f"kruisvalidatie (L2 {k})": v for k, v in report["cv"].items()} | {"dev": report["dev"]}
    for name, m in rows.items():
        table.add_row(
            name,
            *[
                "–" if m.get(key) is None else f"{m[key]:.3f}"
                for key in ("accuracy", "answer_accuracy", "refusal_precision", "refusal_recall", "unit_top1")
            ],
        )
    console.print(table)
    console.print(f"Parameters geschreven naar {path}. Meet daarna met: kringwijs eval --dataset …")
    return 0
