"""Knowledge records: the public entry points to load and check them.

The YAML files under ``knowledge/{criteria,guidance,subsidies,regulations}`` hold the
records; :mod:`knowledge.models` defines them and :mod:`knowledge.loading` reads them.

Example::

    records = load_records()          # raises RecordError on any invalid record
    problems = check_records(root)    # [] when all is well
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from knowledge.models import (
    CLUSTERS,
    CONTACT_TOPICS,
    CRITERION_TYPES,
    RECORD_CLASSES,
    RELIABILITIES,
    STATUSES,
    THEMES,
    BaseRecord,
    Cluster,
    Contact,
    ContactTopic,
    Criterion,
    CriterionType,
    Guidance,
    Record,
    Regulation,
    Reliability,
    SourceRef,
    Subsidy,
    SubsidyStatus,
    Theme,
)

__all__ = [
    "CLUSTERS",
    "CONTACT_TOPICS",
    "CRITERION_TYPES",
    "DEFAULT_ROOT",
    "RECORD_CLASSES",
    "RELIABILITIES",
    "STATUSES",
    "THEMES",
    "BaseRecord",
    "Cluster",
    "Contact",
    "ContactTopic",
    "Criterion",
    "CriterionType",
    "Guidance",
    "Record",
    "RecordError",
    "RecordProblem",
    "Regulation",
    "Reliability",
    "SourceRef",
    "Subsidy",
    "SubsidyStatus",
    "Theme",
    "check_command",
    "check_records",
    "check_warnings",
    "contact_routes",
    "load_records",
]

DEFAULT_ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class RecordProblem:
    """One validation problem, with the file, line and a plain Dutch message."""

    file: Path
    line: int
    record_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{_display_path(self.file)}:{self.line}:"
        return f"{where} [{self.record_id}] {self.message}" if self.record_id else f"{where} {self.message}"


class RecordError(Exception):
    """Raised by :func:`load_records` when any record is invalid."""

    def __init__(self, problems: list[RecordProblem]):
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (en nog {len(problems) - 5})" if len(problems) > 5 else ""
        super().__init__(f"{len(problems)} probleem/problemen in de kennisrecords: {shown}{more}")


def load_records(root: Path | None = None) -> list[Record]:
    """Load and validate every record under ``root``; raise :class:`RecordError` on any problem."""
    from knowledge.loading import load_tree

    records, problems = load_tree(root or DEFAULT_ROOT)
    if problems:
        raise RecordError(problems)
    return records


def check_records(root: Path | None = None) -> list[RecordProblem]:
    """Validate every record under ``root`` and return the problems (empty when all is well)."""
    from knowledge.loading import load_tree

    return load_tree(root or DEFAULT_ROOT)[1]


def contact_routes(knowledge_dir: Path | None = None, topics: Iterable[str] | None = None) -> list[Contact]:
    """The contact routes (``contacts/*.yaml``): where a company or buyer can go with a question.

    In file order; with ``topics`` (see :data:`CONTACT_TOPICS`) only the routes for at least one of
    them. Only the contact files are read, and an invalid contact record is left out rather than
    raised, so a refusal can always point somewhere; ``kringwijs knowledge check`` reports it.
    """
    from knowledge.loading import check_tree

    wanted = set(topics or ())
    unknown = wanted - set(CONTACT_TOPICS)
    if unknown:
        raise ValueError(f"onbekend onderwerp {sorted(unknown)}; kies uit: {', '.join(CONTACT_TOPICS)}")
    records = check_tree(knowledge_dir or DEFAULT_ROOT, folders=("contacts",))[0]
    routes = [r for r in records if isinstance(r, Contact)]
    return [r for r in routes if not wanted or wanted & set(r.topics)]


def check_warnings(root: Path | None = None, today: date | None = None) -> list[RecordProblem]:
    """Staleness warnings for the records under ``root`` (old check dates, 'open' schemes past their date)."""
    from knowledge.loading import check_tree

    return check_tree(root or DEFAULT_ROOT, today)[2]


def check_command(root: Path | None = None, strict: bool = False) -> int:
    """CLI body of ``kringwijs knowledge check``: print problems and warnings in Dutch.

    Returns 0 when all is well, 1 on problems; with ``strict`` warnings fail too.
    """
    from knowledge.loading import check_tree

    root = root or DEFAULT_ROOT
    records, problems, warnings = check_tree(root)
    out = sys.stdout
    if not records and not problems:
        out.write(f"Geen recordbestanden gevonden in {_display_path(root)}. Klopt de map?\n")
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
    labels = {
        "criterion": "criteria",
        "guidance": "achtergrondrecords",
        "subsidy": "subsidies",
        "regulation": "regelgevingsrecords",
        "contact": "contactroutes",
    }
    parts = [f"{n} {labels.get(kind, kind)}" for kind, n in counts.items()]
    summary = ", ".join(parts[:-1]) + f" en {parts[-1]}" if len(parts) > 1 else parts[0]
    out.write(f"Alle {len(records)} records zijn in orde: {summary}.\n")
    if warnings:
        out.write(f"Wel {len(warnings)} waarschuwing(en) (zie hierboven); --strict laat de controle dan falen.\n")
    return 0


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
