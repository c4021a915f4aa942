"""Rank evidence units (sentences, list items, table rows) for a question.

Every signal here is computed from vectors stored at ingest plus cheap string work, so
ranking the units of the top chunks costs a few milliseconds, not a model call each.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, get_args

import numpy as np

from assistant.glossary import dutch_words
from assistant.query import AnswerType, QueryAnalysis
from assistant.retriever import Hit, Unit
from assistant.scorer import LinearModel
from assistant.text import MONTHS, content_stems, fold, stem, words

_MONEY = re.compile(r"€|\beuro\b|\bmiljoen\b|\bmln\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# A count is a digit that is not a year, or a Dutch/English number word. Digits glued to a
# name ("CO2", "BIG-8", "H2") are part of the name, not a count.
_COUNT = re.compile(
    r"(?<![\w-])(?!(?:19|20)\d\d\b)\d+|\b(twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|"
    r"dertig|veertig|vijftig|honderd|duizend|tiental|dozijn|helft|kwart|één|one|two|three|four|five|six|ten)\b",
    re.IGNORECASE,
)
_QUANTITY = re.compile(r"(?<![\w-])\d")
_DATE = re.compile(
    rf"\b(\d{{1,2}} )?({'|'.join(MONTHS)}) (19|20)\d\d\b|\b(19|20)\d\d-\d\d-\d\d\b|\bQ[1-4]\b",
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
TYPE_STEMS = set(
    content_stems("hoeveel geld budget bedrag euro kost kosten verdient salaris prijs aantal procent keer maal")
)


def distinctive_stems(analysis: QueryAnalysis) -> set[str]:
    """The question's words that name its subject: not corpus-common, not answer-type words."""
    return set(analysis.stems) - COMMON_STEMS - TYPE_STEMS


@dataclass
class ScoredUnit:
    unit: Unit
    hit: Hit
    hit_rank: int
    score: float
    dense: float
    lexical: float
    facts_present: bool
    # A record field the question does not ask for ("Aanbieder: …" for a "how much" question).
    off_topic_field: bool = False
    # The named signals the fitted unit model weighed (assistant.scorer; shown by --explain).
    signals: dict[str, float] = field(default_factory=dict)


def _word_weights(query_stems: list[str], spread: dict[str, float]) -> tuple[list[tuple[str, float]], float]:
    """Each question word's weight in ``_lexical``, and their sum: computed once per question.

    Corpus-common words count 0.4. ``spread`` is the share of candidate units that contain
    each word: a word every unit of the pool has (the record's name, repeated in its heading)
    cannot tell them apart, while a rare one ("reparatieclausule") points at the sentence that
    answers."""
    weights, total = [], 0.0
    for s in set(query_stems):
        weight = 0.4 if s in COMMON_STEMS else 1.0
        if spread:
            weight *= 1.0 - 0.6 * spread.get(s, 0.0)
        total += weight
        weights.append((s, weight))
    return weights, total


def _lexical(
    weights: list[tuple[str, float]], total: float, unit_stems: frozenset[str], section_stems: frozenset[str]
) -> float:
    """Weighted share of the question's words in the unit (half credit for its heading)."""
    if not total:
        return 0.0
    got = 0.0
    for s, weight in weights:
        # A word of the heading (a record's name) repeated in one of its sentences does not
        # make that sentence more of an answer than its siblings.
        if s in section_stems:
            got += 0.5 * weight
        elif s in unit_stems:
            got += weight
    return got / total


# Answer types whose absence from the evidence means the question is not answered there.
GATED_TYPES = {"amount", "count", "percentage", "name"}
_NAME = re.compile(r"(?<=[a-zà-ÿ,;:] )[A-Z][a-zà-ÿ]+(?: [A-Z][a-zà-ÿ]+)*")


# What each asked attribute (assistant.query._ATTRIBUTES) looks like in a passage.
_NUMBER_WORD = (
    r"(\d+|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|vijftien|twintig|dertig|veertig|vijftig|"
    r"zestig|honderd|enkele|one|two|three|four|five|six|ten|twelve|twenty|thirty|forty|fifty)"
)
_PERIOD = r"(dag|dagen|week|weken|maand|maanden|kwartaal|jaar|jaren|day|days|week|weeks|month|months|year|years)"
_ATTRIBUTE_EVIDENCE = {
    # 030-2589111, 06-12345678, 088 123 4567, (010) 123 45 67, +31 …, 14 030, 0800-0432.
    "phone": re.compile(
        r"(?<![\d.,])(\(?0\d{1,3}\)?[- ]?\d{2,4}[- ]?\d{2,4}[- ]?\d{0,4}|\+31[\d ()-]{9,}|14 ?0\d{2})(?![\d.,])"
    ),
    "email": re.compile(r"[\w.-]+@[\w-]+\.\w+"),
    # A Dutch postcode, or a street name with a house number.
    "address": re.compile(
        r"\b[1-9]\d{3} ?(?!EU\b|MW\b|KW\b|GW\b|MT\b|CO\b)[A-Z]{2}\b|\b[A-Z][a-zà-ÿ]+(straat|laan|weg|plein|kade|singel|park|baan) \d+"
    ),
    # "9.00 uur", "17:00", "9 uur", "9 am"; not a section number (3.12) or an amount (12.50).
    "clock": re.compile(r"\b\d{1,2}[:.]\d{2} ?uur\b|\b\d{1,2}:\d{2}\b|\b\d{1,2} uur\b|\b\d{1,2} ?(am|pm)\b", re.I),
    "frequency": re.compile(
        rf"\b(per {_PERIOD}|\w+ keer|(een|twee|drie|vier|vijf|zes|tien)maal|(twee)?(dagelijks|wekelijks|maandelijks|jaarlijks)|(elke|ieder|iedere|om de|every) "
        rf"({_NUMBER_WORD} )?{_PERIOD}|daily|weekly|monthly|yearly|annually|once|twice)\b",
        re.I,
    ),
    # A length of time ("acht weken", "3 jaar"), or the span of a plan ("2021-2025", "tot en met 2025").
    "duration": re.compile(
        rf"\b{_NUMBER_WORD}[ -]?(jarige?|werkdagen|uur|uren|minuten|hours?|minutes?|{_PERIOD})\b"
        r"|\b(19|20)\d\d ?[-–] ?(19|20)\d\d\b|\b(tot|until|t/m|tot en met) (\d{1,2} \w+ )?(19|20)\d\d\b",
        re.I,
    ),
}


def has_attribute(attribute: str | None, text: str) -> bool:
    """Does ``text`` give the asked attribute (a phone number, a duration …)? True when none is asked."""
    pattern = _ATTRIBUTE_EVIDENCE.get(attribute or "")
    return pattern is None or bool(pattern.search(text))


def has_answer_type(answer_type: str, text: str) -> bool:
    """Does ``text`` contain the kind of fact the question asks for (amount, count, date…)?"""
    return _type_bonus(answer_type, text) > 0 or answer_type not in GATED_TYPES


def _novelty(asked: set[str], unit_text: str) -> float:
    """Share of the unit that is new relative to the question's words: echoes of it answer nothing."""
    stems = content_stems(unit_text)
    if not stems:
        return 0.0
    return sum(1 for s in stems if s not in asked) / len(stems)


# What each answer type looks like in a sentence.
_TYPE_PATTERNS = {
    "amount": _MONEY,
    "count": _COUNT,
    "percentage": _PERCENT,
    "when": _WHEN,
    "who": _WHO,
    "name": _NAME,
    "quantity": _QUANTITY,
}


def _type_bonus(answer_type: str, text: str) -> float:
    pattern = _TYPE_PATTERNS.get(answer_type)
    if pattern is None:
        return 0.0
    if not pattern.search(text):
        return 0.0
    if answer_type == "when" and not _DATE.search(text):
        return 0.6  # "(openstelling 2024)" says when less precisely than "van 22 april 2024"
    return 1.0


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


@lru_cache(maxsize=50_000)
def _folded_with_digits(text: str) -> tuple[str, str]:
    """The folded text, and the same with thousands and decimal marks dropped between digits.
    Cached: every candidate unit's window and passage is checked for every question."""
    folded = fold(text)
    return folded, _DIGIT_MARK.sub("", folded)


_DIGIT_MARK = re.compile(r"(?<=\d)[.,](?=\d)")


def facts_in(facts: list[str], text: str) -> list[str]:
    """The question's named facts that do NOT occur in ``text`` (numbers compared by digits).

    A name also counts in its Dutch form from the glossary ("Netherlands" as "Nederland", "EPR"
    as "UPV"): English questions name things in English, the sources in Dutch."""
    folded, digits = _folded_with_digits(text)
    missing = []
    for fact in facts:
        f = fold(fact)
        if f in folded:
            continue
        if _DIGIT.search(f) and re.sub(r"[.,]", "", f) in digits:
            continue
        if any(fold(dutch) in folded for dutch in dutch_words(fact)):
            continue
        missing.append(fact)
    return missing


class _Passage(NamedTuple):
    """What every unit of one retrieved passage shares in ``unit_signals``."""

    rank: int
    hit: Hit
    section: str
    section_stems: frozenset[str]
    table_row: bool
    notice: str | None
    facts_chunk: float
    heading_named: float


_TOTAL = re.compile(r"\b(totaal|totale|in totaal|total|overall|alles bij elkaar|samen)\b", re.IGNORECASE)


def unit_signals(
    analysis: QueryAnalysis,
    qvec: np.ndarray | None,
    hits: list[Hit],
    units: list[Unit],
    intent: Mapping[str, float] | None = None,
) -> list[tuple[Unit, Hit, int, dict[str, float]]]:
    """The named signals of every candidate unit: what the fitted unit model weighs.

    Each signal is a plain measurement (a similarity, a share, a yes/no); how much it counts
    is fitted on labelled cases (``evals.fit``), not set by hand. ``intent`` is P(record field
    | question) (``assistant.field_intent``)."""
    neighbours: dict[tuple[str, int], str] = {(u.chunk_id, u.index): u.text for u in units}
    must = analysis.must_match
    sections = {h.chunk_id: str(h.meta.get("section", "")) for h in hits}
    # Question-side parts, computed once rather than per unit.
    weights, total = _word_weights(analysis.stems, _spread(analysis.stems, units, sections))
    asked = set(analysis.stems)
    cues = set(content_stems(analysis.text)) | {w.lower() for w in analysis.text.split()}
    named = distinctive_stems(analysis)
    defined = _defined_subject(analysis)
    asks_total = bool(_TOTAL.search(analysis.text))
    english = analysis.language == "en"
    # Passage-side parts, computed once per passage rather than per unit.
    passages: dict[str, _Passage] = {}
    for rank, hit in enumerate(hits):
        section = sections[hit.chunk_id]
        table_row = hit.meta.get("kind") == "table_row"
        passages[hit.chunk_id] = _Passage(
            rank,
            hit,
            section,
            _stem_set(section),
            table_row,
            hit.meta.get("status_notice"),
            facts_chunk=float(not (must and facts_in(must, context_of(hit)))),
            heading_named=float(not table_row and bool(named & _stem_set(section.split(" > ")[-1]))),
        )
    out = []
    for unit in units:
        rank, hit, section, section_stems, table_row, notice, facts_chunk, heading_named = passages[unit.chunk_id]
        text = unit.text
        # A sentence often answers in the words of its neighbour ("Voor 2025 gaat het om …"
        # after "… indicatoren opgenomen"), so relevance and facts are also read over a window.
        before, after = (neighbours.get((unit.chunk_id, unit.index + d), "") for d in (-1, 1))
        window = f"{before} {text} {after}"
        # Words never span a space, so the window's words are its three units' words: their
        # cached sets, rather than stemming a new string for every candidate of every question.
        window_stems = _stem_set(text).union(_stem_set(before), _stem_set(after))
        dense = float(np.dot(qvec, unit.vector)) if qvec is not None else 0.0
        field_name = record_field(hit, unit)
        wanted = _field_wanted(field_name, analysis, cues) if field_name is not None else 0
        sig = {
            "dense": dense,
            "dense_en": dense if english else 0.0,
            # A passage found by BM25 alone has no dense score of its own: the unit's stands in.
            "chunk_dense": float(hit.dense if hit.dense is not None else dense),
            "lexical": _lexical(weights, total, _stem_set(text), section_stems),
            "lexical_window": _lexical(weights, total, window_stems, section_stems),
            "prior": 1.0 / (1 + rank),
            "answer_type": _type_bonus(analysis.answer_type, text),
            "facts_unit": float(not (must and facts_in(must, window + " " + section))),
            "facts_chunk": facts_chunk,
            "heading_named": heading_named,
            "echo": 1.0 - _novelty(asked, text),
            "short": float(len(text) < 25),
            "record_note": float(text.startswith("Toelichting:") or "Kringwijs" in text),
            "status_notice": float(bool(notice) and text == notice),
            "field_asked": float(wanted > 0),
            "field_not_asked": float(wanted < 0),
            "near_figure": near_figure(analysis, text, named),
            "defines": _defines(defined, text),
            "table_row": float(table_row),
            "total_row": float(table_row and asks_total and text.lower().startswith("totaal")),
            # The question names the field itself ("welk bewijsmiddel", "wat is de status").
            "label_named": float(field_name is not None and bool(_stem_set(field_name) & named)),
            # The question's own words in the unit's text alone: the heading a record's
            # fields share cannot tell them apart.
            "lexical_raw": _share(named, text),
            "length": min(len(text), 400) / 100,
            **_field_affinity(field_name, analysis),
            **field_intent_signal(intent, field_name),
        }
        sig["rule_score"] = rule_score(sig, field_name, analysis.answer_type)
        out.append((unit, hit, rank, sig))
    _add_standing(out)
    return out


def field_intent_signal(intent: Mapping[str, float] | None, field_name: str | None) -> dict[str, float]:
    """How likely the question asks for the record field this unit quotes; absent for plain
    text and without a fitted model (an absent signal weighs nothing). Giving plain text the
    probability of the text class as well fitted worse (train NLL 2161.6 against 2145.0) and
    chose worse (choosing sets 0.782 against 0.787; README, Quality)."""
    if intent is None or field_name not in RECORD_FIELDS:
        return {}
    return {"field_intent": intent.get(field_name, 0.0)}


def _add_standing(out: list[tuple[Unit, Hit, int, dict[str, float]]]) -> None:
    """How a unit stands among the candidates: the best sentence of its passage by meaning or
    by the question's words, the best of all, and how far below its passage's best sentence it
    is. A linear model cannot compute a maximum itself, and "the sentence of this passage that
    matches best" is what a reader quotes."""
    best_dense: dict[str, float] = {}
    best_words: dict[str, float] = {}
    for unit, _hit, _rank, sig in out:
        best_dense[unit.chunk_id] = max(best_dense.get(unit.chunk_id, -1.0), sig["dense"])
        best_words[unit.chunk_id] = max(best_words.get(unit.chunk_id, 0.0), sig["lexical_raw"])
    top = max(best_dense.values(), default=0.0)
    for unit, _hit, _rank, sig in out:
        passage_best, words_best = best_dense[unit.chunk_id], best_words[unit.chunk_id]
        # The maxima are the units' own values, so plain comparisons find them exactly.
        sig["dense_best_in_passage"] = float(sig["dense"] >= passage_best)
        sig["lexical_best_in_passage"] = float(words_best > 0 and sig["lexical_raw"] >= words_best)
        sig["dense_best_overall"] = float(sig["dense"] >= top)
        sig["dense_gap_passage"] = passage_best - sig["dense"]


# The hand weights of the unit score used until 2026-11-28 (tuned on the dev split then),
# frozen: that score is now one signal among others (see assistant.rule_prior).
_RULE_W = {"dense": 0.40, "lexical": 0.30, "prior": 0.12, "type": 0.12, "facts": 0.15, "structural": 0.20}


def rule_score(sig: dict[str, float], field_name: str | None, answer_type: str) -> float:
    """The old hand-weighted score of one unit, from its signals."""
    dense_n = min(1.0, max(0.0, (sig["dense"] - 0.72) / 0.18))
    facts = 1.0 if sig["facts_unit"] else (0.5 if sig["facts_chunk"] else 0.0)
    score = (
        _RULE_W["dense"] * dense_n
        + _RULE_W["lexical"] * max(sig["lexical"], 0.8 * sig["lexical_window"])
        + _RULE_W["prior"] * sig["prior"]
        + _RULE_W["type"] * sig["answer_type"]
        + _RULE_W["facts"] * facts
        + _RULE_W["structural"] * sig["heading_named"]
    )
    novelty = 1.0 - sig["echo"]
    if novelty < 0.35:
        score -= 0.12 * (0.35 - novelty) / 0.35
    score -= 0.1 * sig["short"] + 0.08 * sig["record_note"]
    if sig["status_notice"]:
        score -= 0.3
    elif field_name in _DESCRIPTION_FIELDS:
        score += 0.06 if answer_type in {"what", "list", "how"} else 0.0
    else:
        score += 0.08 * sig["field_asked"] - 0.1 * sig["field_not_asked"]
    return score + 0.15 * sig["near_figure"] + 0.12 * sig["defines"]


# Record fields whose fit to a kind of question is learned rather than listed by hand: one
# signal per (field, answer type), e.g. "Bedragen" for "how much" questions.
RECORD_FIELDS = (
    "Aanbieder", "Waarvoor", "Voor wie", "Voorwaarden", "Bedragen", "Status", "Meer informatie",
    "Verantwoordelijke overheid", "Van toepassing op", "Belangrijkste punten", "Type", "Ambitieniveau",
    "Thema's van het Manifest MVOI", "Criteriumtekst", "Bewijsmiddel", "Toelichting", "Organisatie",
)  # fmt: skip
AFFINITY_SIGNALS = tuple(f"veld:{f}:{t}" for f in RECORD_FIELDS for t in (*get_args(AnswerType), "kaal"))


def _share(stems: set[str], text: str) -> float:
    if not stems:
        return 0.0
    return sum(1 for s in stems if _covered_in(s, text)) / len(stems)


@lru_cache(maxsize=65536)
def _covered_in(stem: str, text: str) -> bool:
    # Every candidate unit of every question is checked against the question's words; the
    # compound test in covered() loops over the unit's stems, and the same units and words
    # come back across questions (a third of the answer step before this cache).
    return covered(stem, _stem_set(text))


@lru_cache(maxsize=16384)
def _stem_set(text: str) -> frozenset[str]:
    return frozenset(content_stems(text))


def _field_affinity(field_name: str | None, analysis: QueryAnalysis) -> dict[str, float]:
    if field_name not in RECORD_FIELDS:
        return {}
    out = {f"veld:{field_name}:{analysis.answer_type}": 1.0}
    if analysis.bare:
        out[f"veld:{field_name}:kaal"] = 1.0
    return out


BASE_UNIT_SIGNALS = (
    "dense", "dense_en", "chunk_dense", "lexical", "lexical_window", "prior", "answer_type", "facts_unit",
    "facts_chunk", "heading_named", "echo", "short", "record_note", "status_notice", "field_asked",
    "field_not_asked", "near_figure", "defines", "table_row", "total_row", "label_named", "lexical_raw", "length",
    "rule_score", "dense_best_in_passage", "lexical_best_in_passage", "dense_best_overall", "dense_gap_passage",
)  # fmt: skip
# Every signal the unit model may weigh (evals.fit fits a weight for each).
UNIT_SIGNALS = BASE_UNIT_SIGNALS + AFFINITY_SIGNALS + ("field_intent",)


def rank_units(
    analysis: QueryAnalysis,
    qvec: np.ndarray | None,
    hits: list[Hit],
    units: list[Unit],
    model: LinearModel,
    intent: Mapping[str, float] | None = None,
) -> list[ScoredUnit]:
    """Candidate units, best first, scored by the fitted unit model."""
    scored = [
        ScoredUnit(
            unit,
            hit,
            rank,
            model.logit(sig),
            sig["dense"],
            max(sig["lexical"], 0.8 * sig["lexical_window"]),
            bool(sig["facts_chunk"]),
            bool(sig["field_not_asked"] or sig["status_notice"]),
            sig,
        )
        for unit, hit, rank, sig in unit_signals(analysis, qvec, hits, units, intent)
    ]
    scored.sort(key=lambda s: s.score, reverse=True)
    return scored


def rescore(ranked: list[ScoredUnit], model: LinearModel) -> list[ScoredUnit]:
    """The same candidates under other unit weights (used while fitting)."""
    for s in ranked:
        s.score = model.logit(s.signals)
    return sorted(ranked, key=lambda s: s.score, reverse=True)


_FIGURE_TYPES = {"amount", "count", "quantity", "percentage"}
_FIGURE = re.compile(r"^\d")


def near_figure(analysis: QueryAnalysis, text: str, distinctive: set[str] | None = None) -> float:
    """For questions that want a figure: the share of the question's distinctive words that
    stand right before or after a figure in ``text`` ("Participatiefonds: maximaal 2,5
    miljoen euro" for "het maximum van het Participatiefonds"). A figure next to the asked
    words is far more likely the answer than one elsewhere in the sentence. ``distinctive``
    is ``distinctive_stems(analysis)``, passed in when the caller already has it."""
    if analysis.answer_type not in _FIGURE_TYPES:
        return 0.0
    if distinctive is None:
        distinctive = distinctive_stems(analysis)
    if not distinctive:
        return 0.0
    tokens = words(text)
    stems = [stem(t) for t in tokens]
    best = 0.0
    for i, token in enumerate(tokens):
        if not _FIGURE.match(token) or (i > 0 and tokens[i - 1].endswith("-")):
            continue
        near = set(stems[max(0, i - 5) : i + 3])
        best = max(best, len(distinctive & near) / len(distinctive))
    return best


_DEFINITION_QUESTION = re.compile(r"^(?:wat|what)\s+(?:is|zijn|was|are)\s+(?:de|het|een|the|an?)?\s*(.+?)\??$", re.I)


def _defined_subject(analysis: QueryAnalysis) -> set[str]:
    """The subject words of a "Wat is X?" question (folded), or an empty set."""
    match = _DEFINITION_QUESTION.match(analysis.text.strip())
    if not match:
        return set()
    return {fold(w) for w in words(match.group(1)) if len(w) > 2} - {"van", "voor", "het", "der", "the", "and"}


def _defines(names: set[str], text: str) -> float:
    """1.0 when ``text`` defines the subject of a "Wat is X?" question ("De ACU is een
    overkoepelend netwerk …"): a definition beats a sentence that merely mentions X."""
    if not names:
        return 0.0
    found = re.search(r"^(.{0,90}?)\b(?:is|zijn|was|are)\s+(?:een|de|het|a|an|the)\b", fold(text[:160]))
    if not found:
        return 0.0
    return 1.0 if any(re.search(rf"\b{re.escape(n)}\b", found.group(1)) for n in names) else 0.0


def _spread(stems: list[str], units: list[Unit], sections: dict[str, str]) -> dict[str, float]:
    """Share of the candidate units whose text or heading contains each question word."""
    if len(units) < 4:
        return {}
    wanted = set(stems)
    counts = dict.fromkeys(wanted, 0)
    # The same cached word sets the unit signals read next (unit_signals).
    section_stems = {cid: _stem_set(sec) for cid, sec in sections.items()}
    for unit in units:
        present = (_stem_set(unit.text) | section_stems.get(unit.chunk_id, frozenset())) & wanted
        for s in present:
            counts[s] += 1
    return {s: n / len(units) for s, n in counts.items()}


# Knowledge records are written as labelled fields ("Aanbieder: …", "Status: …"). A field
# answers only the questions that ask for it: "Wie biedt … aan?" wants the provider line,
# "Wat is …?" the description, and the provider line is noise for every other question.
_FIELD = re.compile(r"^([A-Z][A-Za-z' ]{2,30}):")
_FIELD_CUES: dict[str, set[str]] = {
    "Aanbieder": {"wie", "aanbieder", "aanbied", "biedt", "uitvoerder", "organisatie", "who", "provider"},
    "Verantwoordelijke overheid": {"wie", "overheid", "verantwoordelijk", "toezicht", "who", "authority"},
    "Voor wie": {"wie", "doelgroep", "aanvragen", "aanvrag", "kan", "kunnen", "mag", "for", "eligible"},
    "Van toepassing op": {"wie", "geldt", "gelden", "toepassing", "apply", "applies"},
    "Status": {"status", "open", "gesloten", "nog", "loopt", "aanvragen", "aanvrag", "wanneer", "still"},
    "Meer informatie": {"website", "link", "url", "informatie", "vind"},
    "Type": {"type", "soort", "gunningscriterium", "minimumeis", "contractbepaling", "geschiktheidseis"},
    "Ambitieniveau": {"ambitie", "ambitieniveau", "niveau", "ambition"},
    "Thema's van het Manifest MVOI": {"thema", "manifest", "themes"},
    "Bedragen": {"hoeveel", "bedrag", "budget", "euro", "subsidie", "maximaal", "minimaal", "how", "much", "amount"},
    "Bewijsmiddel": {"bewijs", "bewijsmiddel", "aantonen", "verificatie", "evidence", "proof"},
}
_DESCRIPTION_FIELDS = {"Waarvoor", "Criteriumtekst"}


def _line_of(passage: str, text: str) -> str:
    """The line of ``passage`` that holds ``text``: a field's later sentences ("De laatste
    openstelling liep van …" after "Status: gesloten.") belong to the field of their line."""
    at = passage.find(text[:40])
    if at < 0:
        return text
    start = passage.rfind("\n", 0, at) + 1
    end = passage.find("\n", at)
    return passage[start : end if end >= 0 else len(passage)]


def _field_of(line: str) -> str | None:
    """The record field a line belongs to ("Bedragen"), or None for plain text."""
    match = _FIELD.match(line)
    return match.group(1) if match else None


def record_field(hit: Hit, unit: Unit) -> str | None:
    """The record field a unit of this passage quotes ("Type", "Criteriumtekst"), or None."""
    return _field_of_unit(hit.text, unit.text)


@lru_cache(maxsize=16384)
def _field_of_unit(passage: str, text: str) -> str | None:
    # A passage's units are the same for every question that retrieves it.
    return _field_of(_line_of(passage, text))


def _field_wanted(field_name: str, analysis: QueryAnalysis, cues: set[str]) -> int:
    """+1 when the question asks for this field, -1 when it asks for something else, 0 when
    the field answers any question (a description) or is not a known field."""
    if field_name in _DESCRIPTION_FIELDS:
        return 1 if analysis.answer_type in {"what", "list", "how"} else 0
    wanted = _FIELD_CUES.get(field_name)
    if wanted is None:
        return 0
    return 1 if wanted & cues else -1


def coverage(analysis: QueryAnalysis, text: str) -> float:
    """Share of the question's distinctive words (not corpus-common, not answer-type words) in ``text``."""
    # Years and figures are checked exactly elsewhere (facts_in); here only words count.
    distinctive = {s for s in distinctive_stems(analysis) if not any(ch.isdigit() for ch in s)}
    if not distinctive:
        return 1.0
    present = _stem_set(text.replace("-", " ")) | _stem_set(text)
    return sum(1 for d in distinctive if covered(d, present)) / len(distinctive)


def covered(stem: str, present: set[str] | frozenset[str]) -> bool:
    """Dutch compounds: 'verpakkingseis' is covered by 'verpak' + 'eis', 'isv-risicocategorie' by its parts."""
    if stem in present:
        return True
    parts = [p for p in stem.split("-") if len(p) >= 3]
    if len(parts) > 1 and all(covered(p, present) for p in parts):
        return True
    # Compounds either way round; the stemmer keeps a plural -s ("experts" in "expertcommunity").
    if any(len(p) >= 5 and (p in stem or stem in p or p.rstrip("s") in stem) for p in present):
        return True
    # Linking letters vary: "vergunningaanvragers" asked, "vergunningsaanvragers" written.
    return len(stem) >= 8 and any(abs(len(p) - len(stem)) == 1 and _one_letter_apart(stem, p) for p in present)


def _one_letter_apart(a: str, b: str) -> bool:
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def distinctive_overlap(analysis: QueryAnalysis, text: str) -> bool:
    """Does ``text`` share a word with the question beyond the corpus-wide common ones?"""
    distinctive = distinctive_stems(analysis)
    return not distinctive or bool(distinctive & _stem_set(text))
