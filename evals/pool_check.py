"""Check labelled cases before they are used for fitting or measuring.

Usage: ``python -m evals.pool_check FILE.jsonl [FILE.jsonl …]`` (no files: every pool file).

It checks what a machine can check: the fields, unique ids across every dataset, and that each
expected alternative occurs in the passage the case names (a policy heading path, a table row or a
knowledge record). Whether a refusal is really unanswerable stays a human judgement.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

from evals.dataset import DATASETS

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "knowledge" / "documents" / "uitvoeringsagenda-circulaire-samenleving-2025-2027.md"
VOICES = {"company", "project_leader", "staff", "english"}
REGISTERS = {"typo", "no_accents", "short", "informal", "paraphrase", "near_miss", "english", "followup"}
ORIGINS = {"written", "template", "augment", "llm"}
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def policy_sections(path: Path = POLICY) -> dict[str, str]:
    """Heading path (below the document title, joined with ' > ') -> text of that section."""
    sections: dict[str, list[str]] = {}
    path_stack: list[tuple[int, str]] = []
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _HEADING.match(line)
        if m:
            level = len(m.group(1))
            path_stack = [(lv, t) for lv, t in path_stack if lv < level] + [(level, m.group(2))]
            current = " > ".join(t for lv, t in path_stack if lv > 1)
            sections.setdefault(current, [])
            continue
        sections.setdefault(current, []).append(line)
    return {k: "\n".join(v) for k, v in sections.items()}


def record_texts(root: Path = ROOT / "knowledge") -> dict[str, str]:
    """Record id -> all its string values (what an answer can quote from it)."""
    return {rid: "\n".join(fields.values()) for rid, fields in record_fields(root).items()}


def record_fields(root: Path = ROOT / "knowledge") -> dict[str, dict[str, str]]:
    """Record id -> {field name: its text}; a file's shared header counts as field 'header'."""
    out: dict[str, dict[str, str]] = {}

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return [str(value)] if value is not None else []

    for file in sorted(root.rglob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        header = {k: v for k, v in data.items() if k not in {"records", "criteria"}} if isinstance(data, dict) else {}
        items = []
        if isinstance(data, dict) and "id" in data:
            items = [data]
        elif isinstance(data, dict):
            for key in ("records", "criteria", "items", "guidance"):
                if isinstance(data.get(key), list):
                    items = data[key]
        elif isinstance(data, list):
            items = data
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                fields = {str(k): "\n".join(strings(v)) for k, v in item.items()}
                fields["header"] = "\n".join(strings(header))
                out[item["id"]] = fields
    return out


def passage_text(case: dict, sections: dict[str, str], records: dict[str, str]) -> str | None:
    source, passage = case.get("source", ""), case.get("passage", "")
    if source.startswith("knowledge#"):
        return records.get(source.split("#", 1)[1])
    head = passage.split(" | ")[0]
    if head.lower().startswith("voetnoot"):
        return POLICY.read_text(encoding="utf-8")  # footnotes are defined where they are first used
    if head in sections:
        # A section's text includes its subsections (an Actie under "Belangrijkste acties").
        return "\n".join(t for k, t in sections.items() if k == head or k.startswith(head + " > "))
    return None


def check(files: list[Path]) -> list[str]:
    sections, records = policy_sections(), record_texts()
    problems: list[str] = []
    seen: dict[str, str] = {}
    own = {f.resolve() for f in files}
    for existing in sorted(DATASETS.rglob("*.jsonl")):
        # users/ holds generated copies of the pool (evals.split), not other cases.
        if existing.resolve() in own or (DATASETS / "users") in existing.parents:
            continue
        for line in existing.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen[json.loads(line)["id"]] = str(existing)
    for file in files:
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{file}:{n}"
            try:
                case = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: geen geldige JSON ({exc.msg})")
                continue
            cid = case.get("id", "")
            if cid in seen:
                problems.append(f"{where}: id {cid} bestaat al in {seen[cid]}")
            seen[cid] = where
            for key in ("question", "lang", "source", "passage", "voice", "origin"):
                if not case.get(key):
                    problems.append(f"{where} [{cid}]: veld '{key}' ontbreekt")
            if case.get("voice") and case["voice"] not in VOICES:
                problems.append(f"{where} [{cid}]: onbekende voice {case['voice']!r}")
            if case.get("origin") and case["origin"] not in ORIGINS:
                problems.append(f"{where} [{cid}]: onbekende origin {case['origin']!r}")
            bad = set(case.get("register") or []) - REGISTERS
            if bad:
                problems.append(f"{where} [{cid}]: onbekend register {sorted(bad)}")
            if case.get("refuse"):
                if case.get("expected") or case.get("source") != "none":
                    problems.append(f"{where} [{cid}]: een weigering heeft expected [] en source 'none'")
                continue
            expected = case.get("expected") or []
            if not expected or not all(isinstance(g, list) and g for g in expected):
                problems.append(f"{where} [{cid}]: expected moet een lijst van niet-lege lijsten zijn")
                continue
            text = passage_text(case, sections, records)
            if text is None:
                problems.append(
                    f"{where} [{cid}]: passage {case.get('passage')!r} / source {case.get('source')!r} niet gevonden"
                )
                continue
            for group in expected:
                if not any(_norm(alt) in _norm(text) for alt in group):
                    problems.append(f"{where} [{cid}]: geen van {group} staat in de passage")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    files = [Path(a) for a in args] or sorted((DATASETS / "pool").glob("*.jsonl"))
    problems = check(files)
    for p in problems:
        print(p)  # noqa: T201 - a command-line check
    print(f"{len(problems)} probleem/problemen in {len(files)} bestand(en)")  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
