"""Refusal, enforced in code: a score gate plus a check that the question's named facts
(years, figures, places, organisations) occur in the evidence that would be quoted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.evidence import (
    ScoredUnit,
    context_of,
    coverage,
    covered,
    distinctive_stems,
    facts_in,
    has_answer_type,
    near_figure,
)
from assistant.query import GAZETTEER, GENERIC_CAPS, QueryAnalysis
from assistant.retriever import Hit
from assistant.text import MONTHS, content_stems, fold, words
from kringwijs.settings import Settings


@dataclass
class Verdict:
    refuse: bool
    reason: str = ""
    # Words of the question the sources never use, when they are why it was refused (the
    # refusal text names them, so the user knows what to rephrase).
    unknown: list[str] = field(default_factory=list)
    # Not a question for the sources at all: an instruction, or a request for another job.
    off_task: bool = False


def _never_used(words_: list[str]) -> Verdict:
    return Verdict(True, "de bronnen noemen " + ", ".join(words_) + " nergens", unknown=list(words_))


def judge(
    analysis: QueryAnalysis,
    hits: list[Hit],
    chosen: list[ScoredUnit],
    settings: Settings,
    *,
    off_task: str = "",
    unknown: list[str] | None = None,
    unseen: list[str] | None = None,
    asked: list[str] | None = None,
) -> Verdict:
    """``off_task`` and ``unknown`` are decided on the question alone (assistant.scope);
    ``unseen`` (weak signs) and ``asked`` are weighed against the evidence here."""
    if off_task:
        return Verdict(True, off_task, off_task=True)
    if unknown:
        return _never_used(unknown)
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
    if unseen and top_dense < settings.min_dense_unseen:
        # Words the sources never use, and no passage close in meaning either.
        return _never_used(unseen)
    near_miss = _near_miss(analysis, hits, chosen, asked or [])
    if near_miss:
        return Verdict(True, near_miss)
    if analysis.language == "nl" and top_dense < settings.min_dense_score + 0.07:
        # Dutch questions share words with Dutch sources; a best passage that covers few of the
        # question's distinctive words is about something else ("weer morgen in Utrecht").
        share = coverage(analysis, context_of(best.hit))
        if share < settings.min_coverage:
            return Verdict(True, f"de vraag wordt door het bewijs te weinig gedekt ({share:.2f})")
    return Verdict(False)


# "Welke gemeenten …?" is answered by naming them; a passage that only says "gemeenten" is not.
_NAMED_TARGETS = set(
    content_stems(
        "gemeenten gemeente provincies bedrijven organisaties partijen partners leden ondertekenaars "
        "landen steden deelnemers instellingen"
    )
)
# Capitalised mid-sentence (not after ". " or a "Label: "), or an acronym.
_PROPER = re.compile(r"(?<=[\w,;()] )[A-Z][\w'-]+|\b[A-Z]{2,}\b")


_COUNTRIES = {fold(c) for c in ("Nederland", "Netherlands", "Europa", "Europe", "België", "Duitsland", "Frankrijk")}


# A count in a passage: a number (not a year; "1FTE" included) or a Dutch number word.
_NUMBER = re.compile(
    r"^((?!(?:19|20)\d\d$)\d[\d.,]*\w*|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig|veertig|vijftig|"
    r"honderd|duizend|tientallen|honderden|duizenden|één|enkele)$",
    re.I,
)


def window_of(scored: ScoredUnit) -> str:
    """A quoted unit with the sentence before it in its passage ("Ketenregisseurs voor de
    zorgsector. Hiervoor zijn twee adviseurs …")."""
    units = list(scored.hit.meta.get("_units") or [])
    before = units[scored.unit.index - 1] if 0 < scored.unit.index <= len(units) else ""
    return f"{before} {scored.unit.text}"


def counted(asked_stems: list[str], text: str) -> bool:
    """Is one of the asked things within six words before or four after a number ("1FTE" included)?"""
    tokens = words(re.sub(r"(\d)([A-Za-z])", r"\1 \2", text))  # "(1FTE)" -> "1", "FTE"
    stems = [set(content_stems(t)) | set(content_stems(t.replace("-", " "))) for t in tokens]
    for i, token in enumerate(tokens):
        if i + 1 < len(tokens) and tokens[i + 1].lower() in MONTHS:
            continue  # "16 december": a date, not a count
        if _NUMBER.match(token):
            near = set().union(*stems[max(0, i - 6) : i + 5])
            if any(covered(f, near) for f in asked_stems):
                return True
    return False


def _near_miss(analysis: QueryAnalysis, hits: list[Hit], chosen: list[ScoredUnit], asked: list[str]) -> str:
    """The sources talk about the question's subject but do not give what it asks.

    - an amount or percentage is asked, and no figure in the quoted units stands next to any
      of the question's own words ("Wat kost een omgevingsvergunning?" answered with a
      waste-separation cost of "45 euro per ton");
    - a place is named and the quoted units mention it only in passing, next to none of the
      other things asked ("samenwerking met Zeeland stoppen" vs. "Zeeland maakt de MKI verplicht");
    - the asked thing ("Hoeveel medewerkers …") is in none of the retrieved passages, or a
      count in the quoted units counts something else;
    - "which municipalities/partners …" is asked and the quoted units name none.
    """
    quoted = " ".join(c.unit.text for c in chosen)
    if (
        analysis.answer_type in {"amount", "percentage"}
        and chosen[0].hit.meta.get("kind") != "table_row"
        and max(near_figure(analysis, c.unit.text) for c in chosen) == 0.0
    ):
        return "het gevraagde bedrag of percentage staat niet bij het onderwerp van de vraag"
    distinctive = distinctive_stems(analysis)
    for entity in analysis.entities:
        if fold(entity) not in GAZETTEER or fold(entity) in _COUNTRIES:
            continue  # countries are the backdrop of every Dutch source, not a confusable place
        others = distinctive - set(content_stems(entity))
        holders = [c.unit.text for c in chosen if fold(entity) in fold(c.unit.text)]
        if others and holders and not any(others & set(content_stems(t)) for t in holders):
            return f"de bronnen noemen {entity} alleen in een ander verband"
    if asked:
        # The asked thing must be somewhere in what retrieval found, not only in the quote.
        passages = " ".join(context_of(h) for h in hits)
        present = set(content_stems(passages)) | set(content_stems(passages.replace("-", " ")))
        asked_stems = [stem for word in asked for stem in content_stems(word)]
        if not any(covered(stem, present) for stem in asked_stems):
            return f"de bronnen zeggen niets over {' of '.join(asked)}"
        # "Hoeveel bedrijven …" answered with "1.000 medewerkers": the number must count
        # the asked thing (read over the quoted sentence and its neighbours).
        if analysis.answer_type == "count" and not any(counted(asked_stems, window_of(c)) for c in chosen):
            return f"de bronnen noemen geen aantal {' of '.join(asked)}"
    if analysis.target in _NAMED_TARGETS:
        question_words = {fold(w) for w in re.findall(r"[\w'-]+", analysis.text)}
        names = [m for m in _PROPER.findall(quoted) if fold(m) not in question_words | GENERIC_CAPS]
        if not names:
            return "het bewijs noemt geen namen"
    return ""


def refusal_text(analysis: QueryAnalysis, hits: list[Hit], verdict: Verdict, limit: int = 3) -> str:
    """An honest 'not in my sources', pointing at the closest passages (and naming the words
    of the question the sources never use, so the user knows what to rephrase). An
    instruction or a request for another job gets what Kringwijs does instead: passages
    "closest" to a poem request would only look like an answer."""
    seen: list[str] = []
    unknown, off_task = verdict.unknown, verdict.off_task
    for hit in hits if not off_task else []:
        label = f"{hit.meta.get('title', '')} — {hit.meta.get('section', '')}".strip(" —")
        if label and label not in seen:
            seen.append(label)
        if len(seen) >= limit:
            break
    if analysis.language == "en":
        text = "That is not in my sources, so I cannot answer it."
        if off_task:
            text += " I only answer questions from my sources about the province's circular-economy programme."
        if seen:
            text += " Closest sources (in Dutch): " + "; ".join(seen) + "."
        return text
    text = "Dat staat niet in mijn bronnen, dus daar kan ik geen antwoord op geven."
    if off_task:
        text += " Ik beantwoord alleen vragen uit mijn bronnen over het circulaire programma van de provincie."
    if unknown:
        text += " Mijn bronnen noemen " + " en ".join(f"‘{w}’" for w in unknown) + " nergens."
    if seen:
        text += " Dichtstbijzijnde bronnen: " + "; ".join(seen) + "."
    return text
