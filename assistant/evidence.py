"""Rank evidence units (sentences, list items, table rows) for a question.

Every signal here is computed from vectors stored at ingest plus cheap string work, so
ranking the units of the top chunks costs a few milliseconds, not a model call each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.query import QueryAnalysis
from assistant.retriever import Hit, Unit
from assistant.text import content_stems, fold

_MONEY = re.compile(r"€|\beuro\b|\bmiljoen\b|\bmln\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# A count is a digit that is not a year, or a Dutch/English number word.
_COUNT = re.compile(
    r"(?<!\d)(?!(?:19|20)\d\d\b)\d+|\b(een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|"
    r"dertig|veertig|vijftig|honderd|duizend|tiental|dozijn|helft|kwart|één|one|two|three|four|five|six|ten)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"%|procent")
_WHEN = re.compile(r"\b(19|20)\d\d\b|\bQ[1-4]\b|\b(medio|eind|begin|najaar|voorjaar|jaarlijks|tweejaarlijks)\b", re.I)
_WHO = re.compile(r"\b(team|programmateam|[A-Z]{2,}|gedeputeerde|kwartiermaker|coördinator|regisseur|ROM|provincie)\b")

# Words so common in this corpus that matching them says little about relevance.
COMMON_STEMS = set(
    content_stems("circulair circulaire provincie utrecht samenleving programma thema team budget actie")
)
# Words that ask for a kind of answer rather than name a subject.
TYPE_STEMS = set(content_stems("hoeveel geld budget bedrag euro kost kosten verdient salaris prijs aantal procent"))


@dataclass
class ScoredUnit:
    unit: Unit
    hit: Hit
    hit_rank: int
    score: float
    dense: float
    lexical: float
    facts_present: bool


def _lexical(query_stems: list[str], unit_text: str, section: str) -> float:
    if not query_stems:
        return 0.0
    unit_stems = set(content_stems(unit_text))
    section_stems = set(content_stems(section))
    total = got = 0.0
    for s in set(query_stems):
        weight = 0.4 if s in COMMON_STEMS else 1.0
        total += weight
        if s in unit_stems:
            got += weight
        elif s in section_stems:
            got += 0.5 * weight
    return got / total if total else 0.0


# Answer types whose absence from the evidence means the question is not answered there.
GATED_TYPES = {"amount", "count", "percentage", "name"}
_NAME = re.compile(r"(?<=[a-zà-ÿ,;:] )[A-Z][a-zà-ÿ]+(?: [A-Z][a-zà-ÿ]+)*")


def has_answer_type(answer_type: str, text: str) -> bool:
    """Does ``text`` contain the kind of fact the question asks for (amount, count, date…)?"""
    return _type_bonus(answer_type, text) > 0 or answer_type not in GATED_TYPES


def _novelty(query_stems: list[str], unit_text: str) -> float:
    """Share of the unit that is new relative to the question: echoes of it answer nothing."""
    stems = content_stems(unit_text)
    if not stems:
        return 0.0
    asked = set(query_stems)
    return sum(1 for s in stems if s not in asked) / len(stems)


def _type_bonus(answer_type: str, text: str) -> float:
    checks = {
        "amount": _MONEY,
        "count": _COUNT,
        "percentage": _PERCENT,
        "when": _WHEN,
        "who": _WHO,
        "name": _NAME,
    }
    pattern = checks.get(answer_type)
    if pattern is None:
        return 0.0
    return 1.0 if pattern.search(text) else 0.0


def context_of(hit: Hit) -> str:
    """Everything a cited passage stands for: its text, heading path, title and publisher."""
    meta = hit.meta
    return " ".join(
        str(x)
        for x in (
            hit.text,
            meta.get("section", ""),
            meta.get("title", ""),
            meta.get("publisher", ""),
            meta.get("provider", ""),
        )
    )


def facts_in(facts: list[str], text: str) -> list[str]:
    """The question's named facts that do NOT occur in ``text`` (numbers compared by digits)."""
    folded = fold(text)
    digits = re.sub(r"(?<=\d)[.,](?=\d)", "", folded)
    missing = []
    for fact in facts:
        f = fold(fact)
        if f in folded:
            continue
        if _DIGIT.search(f) and re.sub(r"[.,]", "", f) in digits:
            continue
        missing.append(fact)
    return missing


def rank_units(
    analysis: QueryAnalysis, qvec: np.ndarray | None, hits: list[Hit], units: list[Unit]
) -> list[ScoredUnit]:
    by_chunk = {h.chunk_id: (i, h) for i, h in enumerate(hits)}
    neighbours: dict[tuple[str, int], str] = {(u.chunk_id, u.index): u.text for u in units}
    scored: list[ScoredUnit] = []
    must = analysis.must_match
    for unit in units:
        rank, hit = by_chunk[unit.chunk_id]
        section = str(hit.meta.get("section", ""))
        # A sentence often answers in the words of its neighbour ("Voor 2025 gaat het om …"
        # after "… indicatoren opgenomen"), so relevance and facts are read over a small window.
        window = " ".join(neighbours.get((unit.chunk_id, unit.index + d), "") for d in (-1, 0, 1))
        dense = float(np.dot(qvec, unit.vector)) if qvec is not None else 0.0
        dense_n = min(1.0, max(0.0, (dense - 0.72) / 0.18))
        lexical = max(_lexical(analysis.stems, unit.text, section), 0.8 * _lexical(analysis.stems, window, section))
        prior = 1.0 / (1 + rank)
        type_bonus = _type_bonus(analysis.answer_type, unit.text)
        unit_missing = facts_in(must, window + " " + section) if must else []
        chunk_missing = facts_in(must, context_of(hit)) if must else []
        fact_score = 1.0 if not unit_missing else (0.5 if not chunk_missing else 0.0)
        novelty = _novelty(analysis.stems, unit.text)
        # "Wat is het hoofddoel van …" names a part of the structure, not words of the text.
        named = set(analysis.stems) - COMMON_STEMS - TYPE_STEMS
        structural = hit.meta.get("kind") != "table_row" and bool(named & set(content_stems(section.split(" > ")[-1])))
        score = (
            0.40 * dense_n + 0.30 * lexical + 0.12 * prior + 0.12 * type_bonus + 0.15 * fact_score + 0.20 * structural
        )
        if novelty < 0.35:
            score -= 0.12 * (0.35 - novelty) / 0.35
        if len(unit.text) < 25:
            score -= 0.1
        if unit.text.startswith("Toelichting:") or "Kringwijs" in unit.text:
            score -= 0.08  # notes about the record itself, rarely the answer
        scored.append(ScoredUnit(unit, hit, rank, score, dense, lexical, not chunk_missing))
    scored.sort(key=lambda s: s.score, reverse=True)
    return scored


def coverage(analysis: QueryAnalysis, text: str) -> float:
    """Share of the question's distinctive words (not corpus-common, not answer-type words) in ``text``."""
    # Years and figures are checked exactly elsewhere (facts_in); here only words count.
    distinctive = {s for s in set(analysis.stems) - COMMON_STEMS - TYPE_STEMS if not any(ch.isdigit() for ch in s)}
    if not distinctive:
        return 1.0
    present = set(content_stems(text.replace("-", " "))) | set(content_stems(text))
    return sum(1 for d in distinctive if _covered(d, present)) / len(distinctive)


def _covered(stem: str, present: set[str]) -> bool:
    """Dutch compounds: 'verpakkingseis' is covered by 'verpak' + 'eis', 'isv-risicocategorie' by its parts."""
    if stem in present:
        return True
    parts = [p for p in stem.split("-") if len(p) >= 3]
    if len(parts) > 1 and all(_covered(p, present) for p in parts):
        return True
    return any(len(p) >= 5 and (p in stem or stem in p) for p in present)


def distinctive_overlap(analysis: QueryAnalysis, text: str) -> bool:
    """Does ``text`` share a word with the question beyond the corpus-wide common ones?"""
    distinctive = set(analysis.stems) - COMMON_STEMS - TYPE_STEMS
    return not distinctive or bool(distinctive & set(content_stems(text)))
