"""Split the labelled pool into train / dev / test by source passage.

Usage: ``python -m evals.split`` (deterministic; re-run after adding cases to the pool).

A passage is what one answer quotes: a policy section (heading path), a table row, or one
field of a knowledge record (a record is one chunk, but "who may apply" and "how much" are
different passages). All cases on one passage land in the same split, so no passage that a
test case is answered from is a positive example while fitting. Passages that the hand-written
test and holdout splits are answered from are test passages by definition; the rest are spread
by a hash of the passage name: 65 % train, 15 % dev, 20 % test. A near-miss refusal goes with
the policy passage it mimics, or with its record (all near-misses of one record together);
refusals about nothing in particular are spread by id.

Output: ``evals/datasets/users/{train,dev,test}/<pool file name>.jsonl``. Those files are
generated: edit the pool, not them.
"""

from __future__ import annotations

import hashlib
import json
import sys

from assistant.text import content_stems
from evals.dataset import DATASETS, facts_matched, groups_matched
from evals.pool_check import passage_text, policy_sections, record_fields, record_texts

POOL = DATASETS / "pool"
OUT = DATASETS / "users"
HELD_OUT = ("test", "holdout")
SHARES = (("train", 0.65), ("dev", 0.80), ("test", 1.0))


def _bucket(key: str) -> str:
    x = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return next(name for name, upper in SHARES if x < upper)


def _table_rows(section_text: str) -> dict[str, str]:
    rows = {}
    for line in section_text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if (
            line.lstrip().startswith("|")
            and len(cells) > 1
            and cells[0]
            and not set(cells[0]) <= set("-: ")
            and "€" in line
        ):
            rows[cells[0].strip("* ")] = line
    return rows


def gold_passages(sections: dict[str, str], records: dict[str, dict[str, str]]) -> set[str]:
    """The passages the hand-written test and holdout cases are answered from."""
    keys: set[str] = set()
    for split in HELD_OUT:
        for file in sorted((DATASETS / split).glob("*.jsonl")):
            for line in file.read_text(encoding="utf-8").splitlines():
                case = json.loads(line) if line.strip() else None
                if not case or case.get("refuse"):
                    continue
                keys |= _passages_holding(case, sections, records)
    return keys


def _record_field(case: dict, records: dict[str, dict[str, str]]) -> str:
    """'<record id>#<field>': the field of a record that holds a case's facts (most groups)."""
    rid = case.get("source", "").split("#", 1)[1]
    fields = records.get(rid, {})
    expected = case.get("expected") or []

    best = max(fields, key=lambda f: (groups_matched(expected, fields[f]), -len(fields[f])), default="")
    return f"{rid}#{best}" if best and groups_matched(expected, fields[best]) else rid


def _passages_holding(case: dict, sections: dict[str, str], records: dict[str, dict[str, str]]) -> set[str]:
    expected = case.get("expected") or []
    source = case.get("source", "")
    if source.startswith("knowledge#"):
        return {_record_field(case, records)}
    prefix = _SLUG_PREFIX.get(source.split("#", 1)[-1], "")
    asked = set(content_stems(case.get("question", "")))
    scored: dict[str, int] = {}
    for path, text in sections.items():
        if not path or not path.startswith(prefix) or not facts_matched(expected, text):
            continue
        rows = {label: row for label, row in _table_rows(text).items() if facts_matched(expected, row)}
        for key, body in ({f"{path} | {label}": row for label, row in rows.items()} or {path: text}).items():
            scored[key] = len(asked & set(content_stems(f"{path} {body}")))
    # Common facts ("2026") occur in many passages: the one that also shares the most words
    # with the question is the one the case was written from (ties: all of them).
    best = max(scored.values(), default=0)
    return {key for key, overlap in scored.items() if overlap == best}


# The policy cases' source slugs name a part of the document; its passages are below that heading.
_SLUG_PREFIX = {
    "inleiding": "Inleiding",
    "looptijd-en-budget": "Inleiding: Achtergrond Uitvoeringsagenda > Looptijd en budget",
    "inbedding-organisatie": "Inleiding: Achtergrond Uitvoeringsagenda > Inbedding",
    "afhankelijkheid": "Inleiding: Achtergrond Uitvoeringsagenda > Afhankelijkheid",
    "flexibiliteit": "Inleiding: Achtergrond Uitvoeringsagenda > Transitieaanpak",
    "selectie-activiteiten": "Inleiding: Achtergrond Uitvoeringsagenda > Selectie",
    "thema1-opdrachtgeverschap-inkoop-subsidies": "Thema 1",
    "thema2-ruimte": "Thema 2",
    "thema3-circulair-verbouwen": "Thema 3",
    "thema4-vth": "Thema 4",
    "thema5-bedrijven-en-ketens": "Thema 5",
    "coordinatietaken": "Coördinatietaken",
    "voortgangsrapportages": "Voortgangrapportages",
    "financien": "Financiën",
}


def passage_key(case: dict, records: dict[str, dict[str, str]]) -> str:
    """A record field for record cases (a record is one chunk, but each field is its own
    passage), the heading path (and table row) for policy cases. A refusal is keyed by the
    record or section it is a near-miss of: no field of it answers the question."""
    source = case.get("source", "")
    if source.startswith("knowledge#"):
        return _record_field(case, records)
    passage = str(case.get("passage") or "none")
    return f"refusal:{passage}" if case.get("refuse") and passage != "none" else passage


def split_of(case: dict, held: set[str], records: dict[str, dict[str, str]]) -> str:
    key = passage_key(case, records)
    if key == "none":
        return _bucket("case:" + case["id"])
    if key.startswith("refusal:"):
        key = key.removeprefix("refusal:")
        if key in records:
            # A near-miss of a record asks for a field it does not have: all of them go together.
            return _bucket(key)
        # A near-miss of a policy passage stays with that passage, its closest evidence.
    section = key.split(" | ")[0]
    if key in held or section in held or any(h.startswith(key + " | ") for h in held):
        return "test"
    return _bucket(key)


def main() -> int:
    sections, records, fields = policy_sections(), record_texts(), record_fields()
    held = gold_passages(sections, fields)
    counts: dict[str, int] = {}
    for split in ("train", "dev", "test"):
        (OUT / split).mkdir(parents=True, exist_ok=True)
        for old in (OUT / split).glob("*.jsonl"):
            old.unlink()
    for file in sorted(POOL.glob("*.jsonl")):
        out: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
        for line in file.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            if not case.get("refuse") and passage_text(case, sections, records) is None:
                continue  # pool_check reports these; they cannot be placed
            out[split_of(case, held, fields)].append(line)
        for split, lines in out.items():
            if lines:
                (OUT / split / file.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
            counts[split] = counts.get(split, 0) + len(lines)
    print(f"gesplitst naar {OUT}: {counts} ({len(held)} testpassages uit test/holdout)")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
