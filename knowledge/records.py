"""Knowledge records: the public entry points to load and check them.

The YAML files under ``knowledge/{criteria,guidance,subsidies,regulations}`` hold the
records; :mod:`knowledge.models` defines them and :mod:`knowledge.loading` reads them.

Example::

    records = load_records()          # raises RecordError on any invalid record
    problems = check_records(root)    # [] when all is well
    shared = cached_records(root)     # loaded once per process and folder
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import cast

from knowledge.loading import check_tree, load_tree
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
    RecordError,
    RecordProblem,
    Regulation,
    Reliability,
    SourceRef,
    Subsidy,
    SubsidyStatus,
    Theme,
    display_path,
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
    "cached_records",
    "check_records",
    "check_warnings",
    "contact_routes",
    "display_path",
    "load_records",
]

DEFAULT_ROOT = Path(__file__).resolve().parent


def load_records(root: Path | None = None) -> list[Record]:
    """Load and validate every record under ``root``; raise :class:`RecordError` on any problem."""
    records, problems = load_tree(root or DEFAULT_ROOT)
    if problems:
        raise RecordError(problems)
    return cast(list[Record], records)  # load_tree builds only the RECORD_CLASSES


@lru_cache(maxsize=4)
def cached_records(root: Path | None = None) -> tuple[Record, ...]:
    """:func:`load_records`, once per folder and process; a missing folder has no records.

    The chat's criteria answers, the criteria API and the TUI's browser read the same copy:
    each used to keep its own, loaded on its first use. Per folder, because tests and
    deployments point ``settings.knowledge_dir`` elsewhere. Callers must not change the records."""
    root = root or DEFAULT_ROOT
    return tuple(load_records(root)) if root.is_dir() else ()


def check_records(root: Path | None = None) -> list[RecordProblem]:
    """Validate every record under ``root`` and return the problems (empty when all is well)."""
    return load_tree(root or DEFAULT_ROOT)[1]


def contact_routes(knowledge_dir: Path | None = None, topics: Iterable[str] | None = None) -> list[Contact]:
    """The contact routes (``contacts/*.yaml``): where a company or buyer can go with a question.

    In file order; with ``topics`` (see :data:`CONTACT_TOPICS`) only the routes for at least one of
    them. Only the contact files are read, and an invalid contact record is left out rather than
    raised, so a refusal can always point somewhere; ``kringwijs knowledge check`` reports it.
    """
    wanted = set(topics or ())
    unknown = wanted - set(CONTACT_TOPICS)
    if unknown:
        raise ValueError(f"onbekend onderwerp {sorted(unknown)}; kies uit: {', '.join(CONTACT_TOPICS)}")
    records = check_tree(knowledge_dir or DEFAULT_ROOT, folders=("contacts",))[0]
    routes = [r for r in records if isinstance(r, Contact)]
    return [r for r in routes if not wanted or wanted & set(r.topics)]


def check_warnings(root: Path | None = None, today: date | None = None) -> list[RecordProblem]:
    """Staleness warnings for the records under ``root`` (old check dates, 'open' schemes past their date)."""
    return check_tree(root or DEFAULT_ROOT, today)[2]
