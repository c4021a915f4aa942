"""Gold-set loading. The JSONL format is a contract: other sets in it must run unchanged."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATASETS = Path(__file__).parent / "datasets"


class DatasetError(Exception):
    """A gold file is malformed; the message names the file and line."""


@dataclass
class Case:
    id: str
    question: str
    expected: list[list[str]] = field(default_factory=list)
    refuse: bool = False
    lang: str = "nl"
    audience: str = "public"
    history: list[dict[str, str]] = field(default_factory=list)
    source: str = ""
    category: str = ""
    # Labelled-pool fields (evals/datasets/users): the passage that answers (the unit of the
    # train/dev/test split), who is asking, how it is written, and how the case was made.
    passage: str = ""
    voice: str = ""
    register: list[str] = field(default_factory=list)
    origin: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any], where: str) -> Case:
        if not isinstance(data.get("id"), str) or not isinstance(data.get("question"), str):
            raise DatasetError(f"{where}: 'id' en 'question' zijn verplicht")
        expected = data.get("expected") or []
        if not isinstance(expected, list) or not all(isinstance(g, list) and g for g in expected):
            raise DatasetError(f"{where}: 'expected' moet een lijst van niet-lege lijsten zijn")
        refuse = bool(data.get("refuse", False))
        if not refuse and not expected:
            raise DatasetError(f"{where}: een beantwoordbare vraag heeft 'expected' nodig")
        category = data.get("category") or data["id"].split("-")[0]
        return cls(
            id=data["id"],
            question=data["question"],
            expected=[[str(a) for a in g] for g in expected],
            refuse=refuse,
            lang=data.get("lang", "nl"),
            audience=data.get("audience", "public"),
            history=list(data.get("history") or []),
            source=data.get("source", ""),
            category=category,
            passage=str(data.get("passage") or ""),
            voice=str(data.get("voice") or ""),
            register=[str(r) for r in data.get("register") or []],
            origin=str(data.get("origin") or ""),
        )


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.jsonl"))
    if path.is_file():
        return [path]
    raise DatasetError(f"{path} bestaat niet")


def load_cases(paths: list[Path]) -> list[Case]:
    cases: list[Case] = []
    seen: set[str] = set()
    for path in paths:
        for file in _files(path):
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
                if not line.strip():
                    continue
                where = f"{file}:{number}"
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DatasetError(f"{where}: geen geldige JSON ({exc.msg})") from exc
                case = Case.from_json(data, where)
                if case.id in seen:
                    raise DatasetError(f"{where}: dubbel id '{case.id}'")
                seen.add(case.id)
                cases.append(case)
    return cases


def normalise(text: str) -> str:
    """Case-insensitive, whitespace and non-breaking spaces folded (the matching rule)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip().lower()


def facts_matched(expected: list[list[str]], text: str) -> bool:
    return groups_matched(expected, text) == len(expected)


def groups_matched(expected: list[list[str]], text: str) -> int:
    """How many fact groups ``text`` holds, by the same matching rule as ``facts_matched``."""
    hay = normalise(text)
    return sum(any(normalise(alt) in hay for alt in group) for group in expected)
