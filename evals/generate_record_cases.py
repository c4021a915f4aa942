"""Generate template question cases for the knowledge records (issue #12).

Each subsidy, regulation and criterion field is asked in a few fixed phrasings; the expected string is a
short distinctive piece of that field's own text, so the case stays true while the record does. Near-miss
refusals ask an attribute (phone number, e-mail address, a year far ahead, another province) that no
knowledge file mentions; the script checks that by searching all of knowledge/ and drops any that hit.

Usage: ``python -m evals.generate_record_cases`` writes evals/datasets/pool/records-template.jsonl.
Cases are marked ``origin: template``: template wording does not carry over to users' words, so the
hand-written pool files stay the majority.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
OUT = ROOT / "evals" / "datasets" / "pool" / "records-template.jsonl"

# Criteria that repeat in every product group; their verification text is the same everywhere, so a
# template per group would only add copies.
GENERIC_TITLES = {
    "Verpakkingskeuze toegelicht",
    "Gerecycled materiaal in verzamel- en transportverpakkingen",
    "Herbruikbare en recyclebare verpakkingen",
    "Social return",
}
PROVINCIAL = {"sub-mit-utrecht", "sub-pop3-waardeketens", "sub-rom-utrecht-region", "reg-asvpu"}
_AMOUNT = re.compile(r"\d[\d.,]*(?: tot [\d.,]+)?\s?(?:%|miljoen euro|euro)")
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
# A prefix ending in a function word ("RVO en de") is not a fact; trim those before using it as expected.
_TRAILING = {"de", "het", "een", "en", "van", "op", "in", "met", "voor", "bij", "of", "die", "dat", "te", "aan"}


def _all_text() -> str:
    """Everything a refusal must not be answerable from: every document and record file, lower-cased."""
    files = [*KNOWLEDGE.rglob("*.yaml"), *KNOWLEDGE.rglob("*.md")]
    return "\n".join(f.read_text(encoding="utf-8") for f in files if f.name != "README.md").lower()


def _head(text: str, words: int) -> str:
    """The first words of a field, cut at a comma or colon so the string stays a literal substring."""
    first = re.split(r"[,:;(]", " ".join(text.split()))[0]
    kept = first.split()[:words]
    while len(kept) > 1 and kept[-1].lower() in _TRAILING:
        kept.pop()
    return " ".join(kept).rstrip(".")


def _dutch_date(value: object) -> str | None:
    """'2024-11-01' (or a date) as the record text writes it: '1 november 2024'."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    return f"{int(m.group(3))} {MONTHS[int(m.group(2)) - 1]} {m.group(1)}" if m else None


def _short_name(name: str) -> str:
    return re.split(r" \(|: ", name)[0]


def _case(question: str, expected: list[list[str]], passage: str, voice: str) -> dict:
    refuse = not expected
    register = ["short"] if len(question.split()) <= 6 else []
    if refuse and passage != "none":
        register.append("near_miss")
    return {
        "question": question,
        "expected": expected,
        "refuse": refuse,
        "lang": "nl",
        "audience": "public",
        "source": "none" if refuse else f"knowledge#{passage}",
        "passage": passage,
        "voice": voice,
        "register": register,
        "origin": "template",
    }


def _records(kind: str) -> list[dict]:
    out = []
    for file in sorted((KNOWLEDGE / kind).glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        if "id" in data:
            out.append(data)
        else:
            header = {k: v for k, v in data.items() if k not in {"criteria", "records", "source_refs"}}
            out += [{**header, **item} for item in data.get("criteria") or data.get("records") or []]
    return out


def subsidy_cases(corpus: str) -> list[dict]:
    cases = []
    for rec in _records("subsidies"):
        rid, name = rec["id"], _short_name(rec["name"])
        whom = _head(rec["for_whom"], 5)
        cases += [
            _case(f"Wie kan {name} aanvragen?", [[whom]], rid, "company"),
            _case(f"voor wie is {name.lower()} bedoeld", [[whom]], rid, "company"),
            _case(f"Wat financiert {name}?", [[_head(rec["funds"], 5)]], rid, "company"),
            _case(f"Wie verstrekt {name}?", [[_head(rec["provider"], 3)]], rid, "company"),
        ]
        support_only = "geen subsidie" in rec["name"]
        amount = _AMOUNT.search(rec.get("amounts") or "")
        if amount and not support_only:
            cases.append(_case(f"welke bedragen horen bij {name.lower()}", [[amount.group(0)]], rid, "company"))
        date = _dutch_date(rec.get("status_date"))
        if rec["status"] in {"closed", "expired"} and date and date in (rec.get("status_text") or ""):
            cases.append(_case(f"Kan ik {name} nu nog aanvragen?", [[date]], rid, "company"))
        near_misses = [
            ("telefoonnummer", f"Wat is het telefoonnummer van de helpdesk van {name}?"),
            ("e-mailadres", f"Naar welk e-mailadres stuur ik mijn vragen over {name}?"),
            ("2033", f"Hoeveel budget heeft {name} in 2033?"),
        ]
        if not support_only:
            near_misses.append(("beslistermijn", f"Wat is de beslistermijn voor een aanvraag bij {name}?"))
        if rid in PROVINCIAL:
            near_misses.append(("limburg", f"Bestaat {name} ook in de provincie Limburg?"))
        cases += [_case(q, [], rid, "company") for word, q in near_misses if word not in corpus]
    return cases


def regulation_cases(corpus: str) -> list[dict]:
    cases = []
    for rec in _records("regulations"):
        rid, name = rec["id"], _short_name(rec["name"])
        cases += [
            _case(f"Voor wie geldt {name}?", [[_head(rec["applies_to"], 4)]], rid, "company"),
            _case(f"Wie is verantwoordelijk voor {name}?", [[_head(rec["authority"], 2)]], rid, "company"),
            _case(f"Wat houdt {name} in?", [[_head(rec["summary"], 6)]], rid, "company"),
        ]
        near_misses = [
            ("telefoonnummer", f"Wat is het telefoonnummer van het informatiepunt voor {name}?"),
            ("2033", f"Wat verandert er in 2033 aan {name}?"),
            ("contactpersoon", f"Wie is de contactpersoon bij de provincie voor {name}?"),
        ]
        cases += [_case(q, [], rid, "company") for word, q in near_misses if word not in corpus]
    return cases


def criterion_cases(corpus: str) -> list[dict]:
    cases = []
    groups: dict[str, str] = {}
    for rec in _records("criteria"):
        groups[rec["product_group"]] = rec["product_group_label"]
        if rec["title"] in GENERIC_TITLES:
            continue
        label, title = rec["product_group_label"].lower(), rec["title"].lower()
        cases += [
            _case(
                f"Welk bewijsmiddel vraag ik bij het criterium '{title}' voor {label}?",
                [[_head(rec["verification"], 4)]],
                rec["id"],
                "project_leader",
            ),
            _case(f"wat voor criterium is {title} bij {label}", [[rec["criterion_type"]]], rec["id"], "project_leader"),
        ]
    for label in groups.values():
        if "contactpersoon" not in corpus:
            q = f"Wie is de contactpersoon bij PIANOo voor de criteria voor {label.lower()}?"
            cases.append(_case(q, [], "none", "project_leader"))
    return cases


def main() -> int:
    corpus = _all_text()
    cases = subsidy_cases(corpus) + regulation_cases(corpus) + criterion_cases(corpus)
    for n, case in enumerate(cases, 1):
        case["id"] = f"r-tpl-{n:04d}"
    lines = [json.dumps({"id": c.pop("id"), **c}, ensure_ascii=False) for c in cases]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(cases)} cases ({sum(c['refuse'] for c in cases)} refusals) -> {OUT}")  # noqa: T201 - a command
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
