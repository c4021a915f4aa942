"""Refusal, enforced in code: a score gate plus a check that the question's named facts
(years, figures, places, organisations) occur in the evidence that would be quoted."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.evidence import ScoredUnit, context_of, coverage, facts_in, has_answer_type
from assistant.query import QueryAnalysis
from assistant.retriever import Hit
from kringwijs.settings import Settings


@dataclass
class Verdict:
    refuse: bool
    reason: str = ""


def judge(analysis: QueryAnalysis, hits: list[Hit], chosen: list[ScoredUnit], settings: Settings) -> Verdict:
    if not hits or not chosen:
        return Verdict(True, "geen passende bronnen gevonden")
    best = chosen[0]
    top_dense = max((h.dense or 0.0) for h in hits)
    if top_dense < settings.min_dense_score and best.lexical < 0.75:
        return Verdict(True, f"te weinig overeenkomst met de bronnen (dense {top_dense:.3f})")
    if best.score < settings.min_evidence_score:
        return Verdict(True, f"het beste bewijs is te zwak (score {best.score:.3f})")
    if analysis.must_match:
        # The facts must come together in the passage that is quoted first: a budget line
        # about Utrecht plus a sentence naming Gelderland elsewhere is not an answer.
        missing = facts_in(analysis.must_match, context_of(best.hit))
        if missing:
            return Verdict(True, "niet gevonden in de bronnen: " + ", ".join(missing))
    if not has_answer_type(analysis.answer_type, best.unit.text):
        return Verdict(True, f"het bewijs bevat geen antwoord van het gevraagde soort ({analysis.answer_type})")
    if analysis.language == "nl" and top_dense < settings.min_dense_score + 0.07:
        # Dutch questions share words with Dutch sources; a best passage that covers few of the
        # question's distinctive words is about something else ("weer morgen in Utrecht").
        covered = coverage(analysis, context_of(best.hit))
        if covered < settings.min_coverage:
            return Verdict(True, f"de vraag wordt door het bewijs te weinig gedekt ({covered:.2f})")
    return Verdict(False)


def refusal_text(analysis: QueryAnalysis, hits: list[Hit], limit: int = 3) -> str:
    """An honest 'not in my sources', pointing at the closest passages."""
    seen: list[str] = []
    for hit in hits:
        label = f"{hit.meta.get('title', '')} — {hit.meta.get('section', '')}".strip(" —")
        if label and label not in seen:
            seen.append(label)
        if len(seen) >= limit:
            break
    if analysis.language == "en":
        text = "That is not in my sources, so I cannot answer it."
        if seen:
            text += " Closest sources (in Dutch): " + "; ".join(seen) + "."
        return text
    text = "Dat staat niet in mijn bronnen, dus daar kan ik geen antwoord op geven."
    if seen:
        text += " Dichtstbijzijnde bronnen: " + "; ".join(seen) + "."
    return text
