"""``kringwijs fit``: re-fit the answer decision on the labelled cases (``evals.fit`` does the work).

Usage::

    kringwijs fit                      # train on evals/datasets/users/train, choose on dev
    kringwijs fit --out /tmp/p.json    # write somewhere else than assistant/params/decision.json
    kringwijs fit --field-intent       # only the field-intent model and its one unit weight
    kringwijs fit --refusal            # only the answerability and refusal models
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
    from evals.fit import run_fit, run_intent_fit, run_refusal_fit, write_params

    try:
        train = load_cases([Path(p) for p in args.train])
        dev = load_cases([Path(p) for p in args.dev])
    except DatasetError as exc:
        return fail(str(exc))
    assistant = Assistant(settings_for(args))
    fit, show = (
        (run_intent_fit, _print_intent_report)
        if args.field_intent
        else (run_refusal_fit, _print_refusal_report)
        if args.refusal
        else (run_fit, _print_fit_report)
    )
    result = fit(assistant, train, dev, progress=RichProgress())
    path = write_params(result, Path(args.out) if args.out else None)
    show(result["report"])
    console.print(f"Parameters geschreven naar {path}. Meet daarna met: kringwijs eval --dataset …")
    return 0


def _figures(m: dict, keys: tuple[str, ...]) -> list[str]:
    return ["–" if m.get(key) is None else f"{m[key]:.3f}" for key in keys]


def _print_fit_report(report: dict) -> None:
    table = Table(
        title=f"Beslissing gefit (L2 {report['l2']}, gekozen op dev; {report['train_cases']} trainingsvragen)"
    )
    for col in ("", "accuracy", "antwoorden juist", "weigeringen: precisie", "recall", "beste zin juist"):
        table.add_column(col, justify="right")
    rows = {f"kruisvalidatie (L2 {k})": v for k, v in report["cv"].items()} | {"dev": report["dev"]}
    keys = ("accuracy", "answer_accuracy", "refusal_precision", "refusal_recall", "unit_top1")
    for name, m in rows.items():
        table.add_row(name, *_figures(m, keys))
    console.print(table)


def _print_intent_report(report: dict) -> None:
    report = report["field_intent"]
    accuracy = report["field_accuracy"]
    folds = ", ".join(f"{f['field_accuracy']:.3f}" for f in accuracy["cv_folds"] if f["field_accuracy"] is not None)
    console.print(
        f"Veldmodel (L2 {report['l2']}): gevraagd veld juist geschat in kruisvalidatie {folds}; "
        f"op dev {accuracy['dev']}. Gewicht van field_intent in het eenheidsmodel: {report['weight']} "
        f"(NLL op train {report['train_nll']['without']} -> {report['train_nll']['with']})."
    )
    _print_choosing_sets(report["choosing_sets"])


def _print_refusal_report(report: dict) -> None:
    report = report["refusal"]
    folds = ", ".join(f"{f['refusal_auc']:.3f}" for f in report["answerability"]["cv_folds"] if f["refusal_auc"])
    cv = report["train_cv"]
    console.print(
        f"Beantwoordbaarheidsmodel (L2 {report['answerability']['l2']}): AUC per kruisvalidatieblok {folds}. "
        f"Weigermodel (L2 {report['l2']}, gekozen op de keuzesets), kruisvalidatie op train: log-loss "
        f"{cv['without_vector_refuse']['log_loss']} -> {cv['with_vector_refuse']['log_loss']}, "
        f"AUC {cv['without_vector_refuse']['auc']} -> {cv['with_vector_refuse']['auc']}."
    )
    _print_choosing_sets(report["choosing_sets"])


def _print_choosing_sets(choosing: dict) -> None:
    table = Table(title="Keuzesets (users/dev + dev), overige parameters ongewijzigd")
    for col in ("", "gewogen", "antwoorden juist", "weigeringen: precisie", "recall"):
        table.add_column(col, justify="right")
    keys = ("weighted_accuracy", "answer_accuracy", "refusal_precision", "refusal_recall")
    for name, label in (("before", "vóór"), ("after", "na")):
        table.add_row(label, *_figures(choosing[name], keys))
    console.print(table)
