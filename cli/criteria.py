"""``kringwijs criteria [list|export]``: filter MVOI criteria and export a tender-ready selection.

The filters are checked before anything is listed or written: a product group, type or theme
that does not exist gives the valid ones and a "bedoelde u …?" guess, not an empty result.
The records come from ``settings.knowledge_dir`` (``knowledge.criteria_service`` does the work).
"""

from __future__ import annotations

import argparse
import json
import shlex
from pathlib import Path
from typing import Any

from rich.markup import escape

from cli.console import console, fail
from cli.parser import did_you_mean, suggest
from knowledge.models import CRITERION_TYPES, THEMES
from kringwijs.settings import get_settings

FILTERS = ("product_group", "criterion_type", "ambition", "theme", "text")


class FilterError(ValueError):
    """A filter value that names nothing; the message lists the valid values."""


def _records() -> list[Any]:
    from knowledge.records import load_records

    return load_records(get_settings().knowledge_dir)


def groups_epilog() -> str:
    """The criteria help's list of product groups (built only when the help is shown)."""
    from knowledge.criteria_service import product_groups

    rows = [f"  {slug:<28} {label} ({n})" for slug, label, n in product_groups(_records())]
    return "productgroepen (--product-group, slug of naam):\n" + "\n".join(rows)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", choices=["list", "export"], default="list", help="list (standaard) of export")
    p.add_argument(
        "--product-group",
        metavar="PRODUCTGROEP",
        help="productgroep, bijv. ict-hardware of catering (zie de lijst hieronder)",
    )
    p.add_argument("--type", dest="criterion_type", metavar="TYPE", help=f"type: {', '.join(CRITERION_TYPES)}")
    p.add_argument("--ambition", type=int, choices=[1, 2, 3], help="ambitieniveau 1, 2 of 3")
    p.add_argument("--theme", metavar="THEMA", help=f"thema: {', '.join(THEMES)}")
    p.add_argument("--text", metavar="TEKST", help="vrije tekst in titel, eis of bewijsmiddel")
    p.add_argument("--ids", metavar="IDS", help="komma-gescheiden criterium-id's, bijv. ict-hw-01,ict-hw-02")
    p.add_argument("--format", choices=["docx", "md"], default="md", help="exportformaat (standaard md)")
    p.add_argument("--out", metavar="BESTAND", help="uitvoerbestand van de export (standaard mvoi-criteria.<format>)")
    p.add_argument("--json", action="store_true", help="de gevonden criteria als JSON")


def check_filters(records: list[Any], args: argparse.Namespace) -> None:
    """Raise :class:`FilterError` for a product group, type or theme that names nothing."""
    from knowledge.criteria_service import match_product_groups, normalise_type, product_groups, type_names
    from knowledge.dutch import fold

    if args.product_group:
        groups = product_groups(records)
        known = {slug for slug, _, _ in groups} | {fold(label) for _, label, _ in groups}
        known |= {c.cluster for c in records if getattr(c, "kind", "") == "criterion"}
        if fold(args.product_group) not in known:
            slugs = [slug for slug, _, _ in groups]
            meant = [g for g in match_product_groups(args.product_group) if g in slugs]
            guess = meant[0] if meant else suggest(args.product_group, slugs)
            raise FilterError(
                f"Onbekende productgroep '{args.product_group}'."
                + (f" Bedoelde u {guess}?" if guess else "")
                + f" Kies uit: {', '.join(slugs)}."
            )
    if args.criterion_type and normalise_type(args.criterion_type) is None:
        guess = suggest(args.criterion_type, type_names())
        hint = f" Bedoelde u {normalise_type(guess)}?" if guess else ""
        raise FilterError(
            f"Onbekend criteriumtype '{args.criterion_type}'.{hint} Kies uit: {', '.join(CRITERION_TYPES)}."
        )
    if args.theme and not any(fold(args.theme).strip() in fold(t) for t in THEMES):
        raise FilterError(
            f"Onbekend thema '{args.theme}'.{did_you_mean(args.theme, THEMES)} Kies uit: {', '.join(THEMES)}."
        )


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    return {k: getattr(args, k) for k in FILTERS if getattr(args, k) not in (None, "")}


def export_hint(args: argparse.Namespace) -> str:
    """The export command for exactly this selection, ready to paste."""
    flags = {"product_group": "--product-group", "criterion_type": "--type", "ambition": "--ambition"}
    flags |= {"theme": "--theme", "text": "--text"}
    parts = ["kringwijs", "criteria", "export"]
    for key, value in _filters(args).items():
        parts += [flags[key], str(value)]
    if args.ids:
        parts += ["--ids", args.ids]
    parts += ["--format", "docx", "--out", "mvoi-criteria.docx"]
    return " ".join(shlex.quote(p) for p in parts)


def criteria_command(args: argparse.Namespace) -> int:
    from knowledge.criteria_service import (
        UnknownCriteria,
        criteria_only,
        criterion_card,
        export_file,
        filter_criteria,
        select_by_id,
    )

    records = _records()
    try:
        check_filters(records, args)
    except FilterError as exc:
        return fail(escape(str(exc)), 2)
    filters = _filters(args)
    if args.ids:
        try:
            base = select_by_id(records, args.ids.split(","))
        except UnknownCriteria as exc:
            known = [c.id for c in criteria_only(records)]
            return fail(escape(f"{exc}{did_you_mean(exc.ids[0], known)}"), 2)
    elif args.action == "export" and not filters:
        return fail(
            "Kies wat u wilt exporteren: --ids ict-hw-01,ict-hw-02 of filters, bijv. --product-group catering.", 2
        )
    else:
        base = criteria_only(records)
    found = filter_criteria(base, **filters) if filters else base

    if args.action == "export":
        if not found:
            return fail("Geen criteria gevonden met deze filters; er is niets geëxporteerd.", 1)
        out = export_file(found, args.format, Path(args.out or f"mvoi-criteria.{args.format}"))
        console.print(f"{len(found)} criteria geëxporteerd naar {escape(str(out))}", soft_wrap=True)
        return 0
    if args.json:
        print(json.dumps([criterion_card(c) for c in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        console.print("Geen criteria gevonden met deze filters. Laat een filter weg voor meer resultaten.")
        return 0
    for c in found:
        console.print(
            f"[bold]{c.id}[/] {escape(c.title)} — {c.criterion_type}, niveau {c.ambition} ({c.product_group_label})",
            soft_wrap=True,
        )
    console.print(f"{len(found)} criteria. Exporteren naar Word:")
    # soft_wrap: a terminal that is too narrow wraps the line itself; Rich inserts no line break,
    # so the command can be copied whole.
    console.print(escape(export_hint(args)), soft_wrap=True, highlight=False)
    return 0
