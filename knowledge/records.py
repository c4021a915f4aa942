"""Knowledge records: the public entry points to load and check them.

The YAML files under ``knowledge/{criteria,guidance,subsidies,regulations}`` hold the
records; :mod:`knowledge.models` defines them and :mod:`knowledge.loading` reads them.

Example::

    records = load_records()          # raises RecordError on any invalid record
    problems = check_records(root)    # [] when all is well
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from knowledge.models import (
    CLUSTERS,
    CRITERION_TYPES,
    RECORD_CLASSES,
    RELIABILITIES,
    STATUSES,
    THEMES,
    BaseRecord,
    Cluster,
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
    "CRITERION_TYPES",
    "DEFAULT_ROOT",
    "RECORD_CLASSES",
    "RELIABILITIES",
    "STATUSES",
    "THEMES",
    "BaseRecord",
    "Cluster",
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


def check_command(root: Path | None = None) -> int:
    """CLI body of ``kringwijs knowledge check``: print problems in Dutch; 0 = ok, 1 = problems."""
    from knowledge.loading import load_tree

    root = root or DEFAULT_ROOT
    records, problems = load_tree(root)
    out = sys.stdout
    if not records and not problems:
        out.write(f"Geen recordbestanden gevonden in {_display_path(root)}. Klopt de map?\n")
        return 1
    for problem in problems:
        out.write(f"{problem}\n")
    if problems:
        out.write(f"{len(problems)} probleem/problemen gevonden. Los ze op en controleer opnieuw.\n")
        return 1
    counts = {cls.kind: 0 for cls in RECORD_CLASSES.values()}
    for record in records:
        counts[record.kind] += 1
    out.write(
        f"Alle {len(records)} records zijn in orde: {counts['criterion']} criteria, "
        f"{counts['guidance']} achtergrondrecords, {counts['subsidy']} subsidies en "
        f"{counts['regulation']} regelgevingsrecords.\n"
    )
    return 0


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
