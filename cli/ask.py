"""``kringwijs ask``, ``search`` and ``status``: questions and the index, via the assistant."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.schema import Answer, FinalEvent, ReplaceEvent, TokenEvent
from cli.common import assistant_for, settings_for
from cli.console import console


def print_answer(answer: Answer) -> None:
    console.print(answer.answer)
    for c in answer.citations:
        page = f", p. {c.page}" if c.page else ""
        where = c.title if c.section in ("", c.title) else f"{c.title} — {c.section}"
        console.print(f"  [bold][{c.n}][/] {where}{page}", soft_wrap=True)


def read_history(path: str | None) -> list[dict]:
    if not path:
        return []
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [{"role": t["role"], "content": t["content"]} for t in data]


def cmd_ask(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    assistant = assistant_for(settings)
    history = read_history(args.history)
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
