"""``kringwijs ask``, ``search`` and ``status``: questions and the index, via the assistant."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.markup import escape

from assistant.schema import Answer, FinalEvent, ReplaceEvent, TokenEvent
from cli.common import assistant_for, settings_for
from cli.console import console, fail


def print_answer(answer: Answer) -> None:
    console.print(escape(answer.answer))
    for c in answer.citations:
        page = f", p. {c.page}" if c.page else ""
        where = c.title if c.section in ("", c.title) else f"{c.title} — {c.section}"
        console.print(f"  [bold][{c.n}][/] {where}{page}", soft_wrap=True)


class HistoryError(ValueError):
    """A --history file that cannot be used; the message says why, in Dutch."""


HISTORY_SHAPE = 'een lijst van beurten zoals [{"role": "user", "content": "Hoeveel geld gaat naar VTH?"}]'


def read_history(path: str | None) -> list[dict]:
    """The earlier turns from a JSON file; raises :class:`HistoryError` with what is wrong."""
    if not path:
        return []
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise HistoryError(f"Het geschiedenisbestand {path} bestaat niet.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise HistoryError(f"Het geschiedenisbestand {path} kan niet worden gelezen ({exc}).") from exc
    except json.JSONDecodeError as exc:
        raise HistoryError(
            f"Het geschiedenisbestand {path} is geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}). "
            f"Verwacht: {HISTORY_SHAPE}."
        ) from exc
    if not isinstance(data, list):
        raise HistoryError(f"Het geschiedenisbestand {path} moet {HISTORY_SHAPE} bevatten.")
    turns = []
    for n, turn in enumerate(data, 1):
        ok = (
            isinstance(turn, dict)
            and turn.get("role") in ("user", "assistant")
            and isinstance(turn.get("content"), str)
        )
        if not ok:
            raise HistoryError(
                f'Beurt {n} in {path} is ongeldig: elke beurt heeft "role" ("user" of "assistant") '
                f'en "content" (tekst). Verwacht: {HISTORY_SHAPE}.'
            )
        turns.append({"role": turn["role"], "content": turn["content"]})
    return turns


def print_criteria(groups: list[dict]) -> None:
    """The criteria cards of a procurement answer, one line each, grouped by type and level."""
    ids = []
    for group in groups:
        # A group is a type and an ambition level, or the best matches ("Past het best …") without a level.
        level = f" — {group['ambition_label']}" if group.get("ambition_label") else ""
        console.print(f"[bold]{escape(group['type_label'] + level)}[/]", soft_wrap=True)
        for card in group["cards"]:
            ids.append(card["id"])
            console.print(f"  {card['id']:<10} {escape(card['title'])}", soft_wrap=True)
    if ids:
        console.print("Exporteren naar Word:")
        command = f"kringwijs criteria export --ids {','.join(ids)} --format docx --out mvoi-criteria.docx"
        console.print(command, soft_wrap=True, highlight=False)


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.input_check import NO_CONTENT, has_content

    if not has_content(args.question):
        return fail(NO_CONTENT, 2)
    try:
        history = read_history(args.history)
    except HistoryError as exc:
        return fail(escape(str(exc)), 2)
    settings = settings_for(args)
    assistant = assistant_for(settings)
    if args.json:
        answer = assistant.ask(args.question, history, audience=args.audience)
        print(answer.model_dump_json(indent=2))
        return 0
    final = None
    for event in assistant.stream(args.question, history, audience=args.audience):
        if isinstance(event, TokenEvent) and settings.mode == "llm":
            console.print(event.text, end="")
        elif isinstance(event, ReplaceEvent):
            console.print("\n[dim]Niet te controleren tegen de bronnen; hieronder het geciteerde antwoord.[/]")
        elif isinstance(event, FinalEvent):
            final = event.answer
    if settings.mode == "llm":
        console.print()
        console.print("[dim]" + "─" * 40 + "[/]")
    if final is not None:
        print_answer(final)
        print_criteria(final.criteria)
        if args.explain and final.trace:
            from assistant.trace import explain

            console.print()
            console.print(explain(final.trace), markup=False, highlight=False, soft_wrap=True)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    results = assistant_for(settings_for(args)).search(args.query, k=args.k, audience=args.audience)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    for r in results:
        page = f", p. {r['page']}" if r["page"] else ""
        console.print(f"[bold]{r['rank']:>2}.[/] {r['score']:.4f}  {r['title']} — {r['section']}{page}", soft_wrap=True)
        console.print(f"     [dim]{r['text'][:160].replace(chr(10), ' ')}…[/]", soft_wrap=True)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    status = assistant_for(settings_for(args)).status()
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
