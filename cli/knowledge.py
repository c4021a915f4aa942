"""``kringwijs knowledge check``: validate the knowledge records and say what is wrong, in Dutch."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge.loading import check_tree
from knowledge.records import DEFAULT_ROOT, RECORD_CLASSES, display_path

_LABELS = {
    "criterion": "criteria",
    "guidance": "achtergrondrecords",
    "subsidy": "subsidies",
    "regulation": "regelgevingsrecords",
    "contact": "contactroutes",
}


def check_command(root: Path | None = None, strict: bool = False) -> int:
    """Print problems and warnings in Dutch.

    Returns 0 when all is well, 1 on problems; with ``strict`` warnings fail too.
    """
    root = root or DEFAULT_ROOT
    records, problems, warnings = check_tree(root)
    out = sys.stdout
    if not records and not problems:
        out.write(f"Geen recordbestanden gevonden in {display_path(root)}. Klopt de map?\n")
        return 1
    for problem in [*problems, *warnings]:
        out.write(f"{problem}\n")
    if problems:
        out.write(f"{len(problems)} probleem/problemen gevonden. Los ze op en controleer opnieuw.\n")
        return 1
    if warnings and strict:
        out.write(f"{len(warnings)} waarschuwing(en); met --strict telt dat als fout. Controleer de records opnieuw.\n")
        return 1
    counts = {cls.kind: 0 for cls in RECORD_CLASSES.values()}
    for record in records:
        counts[record.kind] += 1
    parts = [f"{n} {_LABELS.get(kind, kind)}" for kind, n in counts.items()]
    summary = ", ".join(parts[:-1]) + f" en {parts[-1]}" if len(parts) > 1 else parts[0]
    out.write(f"Alle {len(records)} records zijn in orde: {summary}.\n")
    if warnings:
        out.write(f"Wel {len(warnings)} waarschuwing(en) (zie hierboven); --strict laat de controle dan falen.\n")
    return 0


def cmd_knowledge_check(args: argparse.Namespace) -> int:
    return check_command(Path(args.root) if args.root else None, strict=args.strict)
