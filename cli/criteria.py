"""``kringwijs criteria [list|export]``: filter MVOI criteria and export a tender-ready selection."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cli.console import console, fail


def criteria_command(args: argparse.Namespace) -> int:
    from knowledge.criteria_service import criteria_only, criterion_card, filter_criteria, normalise_type
    from knowledge.export import export_docx, export_markdown
    from knowledge.records import load_records

    records = load_records()
    if args.action == "export":
        if not args.ids:
            return fail("Geef de criteria op met --ids, bijvoorbeeld --ids ict-hw-01,ict-hw-02")
        wanted = [i.strip() for i in args.ids.split(",") if i.strip()]
        by_id = {c.id: c for c in criteria_only(records)}
        unknown = [i for i in wanted if i not in by_id]
        if unknown:
            return fail(f"Onbekende criterium-id's: {', '.join(unknown)}")
        chosen = [by_id[i] for i in wanted]
        out = Path(args.out or f"mvoi-criteria.{args.format}")
        if args.format == "docx":
            export_docx(chosen, out)
        else:
            out.write_text(export_markdown(chosen), encoding="utf-8")
        console.print(f"{len(chosen)} criteria geëxporteerd naar {out}")
        return 0
    if args.criterion_type and not normalise_type(args.criterion_type):
        return fail(f"Onbekend criteriumtype '{args.criterion_type}'")
    found = filter_criteria(
        records,
        product_group=args.product_group,
        criterion_type=args.criterion_type,
        ambition=args.ambition,
        theme=args.theme,
        text=args.text,
    )
    if args.json:
        print(json.dumps([criterion_card(c) for c in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        console.print("Geen criteria gevonden met deze filters.")
        return 0
    for c in found:
        console.print(
            f"[bold]{c.id}[/] {c.title} — {c.criterion_type}, niveau {c.ambition} ({c.product_group_label})",
            soft_wrap=True,
        )
    console.print(
        f"{len(found)} criteria. Exporteer met: kringwijs criteria export --ids {found[0].id},… --format docx"
    )
    return 0
