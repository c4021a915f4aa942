"""Refusal, enforced in code: a score gate plus a check that the question's named facts
(years, figures, places, organisations) occur in the evidence that would be quoted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.evidence import (
    GATED_TYPES,
    ScoredUnit,
    context_of,
    coverage,
    covered,
    distinctive_stems,
    facts_in,
    has_answer_type,
    has_attribute,
    near_figure,
)
from assistant.query import GAZETTEER, GENERIC_CAPS, QueryAnalysis
from assistant.retriever import Hit
from assistant.scorer import LinearModel
from assistant.text import MONTHS, content_stems, fold, words


@dataclass
class Verdict:
    refuse: bool
    reason: str = ""
    # Words of the question the sources never use, when they are why it was refused (the
    # refusal text names them, so the user knows what to rephrase).
    unknown: list[str] = field(default_factory=list)
    # Not a question for the sources at all: an instruction, or a request for another job.
    off_task: bool = False
    # Why: the signals, their fitted weights and the threshold (None for a hard rule).
    signals: dict[str, float] = field(default_factory=dict)
    probability: float | None = None
    threshold: float | None = None
    rule: str = ""


# Signals that argue for refusing, and how a refusal driven by each one is worded to the user.
_REASONS = {
    "unknown_subject": "de bronnen noemen het onderwerp van de vraag nergens",
    "unseen_word": "de vraag gebruikt woorden die de bronnen niet kennen",
    "facts_missing": "de jaartallen, bedragen of namen uit de vraag staan niet in het bewijs",
    "type_absent": "het bewijs bevat geen antwoord van het gevraagde soort",
    "amount_not_near": "het gevraagde bedrag of percentage staat niet bij het onderwerp van de vraag",
    "entity_elsewhere": "de bronnen noemen de plaats uit de vraag alleen in een ander verband",
    "asked_absent": "de bronnen zeggen niets over wat er gevraagd wordt",
    "count_mismatch": "de bronnen noemen geen aantal van wat er gevraagd wordt",
    "names_missing": "het bewijs noemt geen namen",
    "attribute_absent": "het bewijs geeft niet het soort gegeven dat gevraagd wordt",
    "top_dense": "te weinig overeenkomst met de bronnen",
    "best_score": "het beste bewijs is te zwak",
    "coverage": "de vraag wordt door het bewijs te weinig gedekt",
    "vector_refuse": "vraag en bewijs lijken op vragen die de bronnen niet beantwoorden",
}
# The share and the any-of versions of a check read the same to the user (and judge() names
# the missing facts or unknown words for both).
_REASONS["unseen_share"] = _REASONS["unseen_word"]
_REASONS["fact_missing_any"] = _REASONS["facts_missing"]


# Every signal the refusal model may weigh (evals.fit fits a weight for each).
REFUSE_SIGNALS = (
    "top_dense", "best_dense", "best_score", "score_margin", "best_lexical", "coverage", "asks_facts",
    "facts_missing", "fact_missing_any", "type_absent", "gated_type", "unknown_subject", "unseen_word", "amount_not_near",
    "entity_elsewhere", "asked_absent", "count_mismatch", "names_missing", "english", "criteria", "table_row", "rule_refuse",
    "unseen_share", "attribute_absent", "vector_refuse",
)  # fmt: skip


def refusal_signals(
    analysis: QueryAnalysis,
    hits: list[Hit],
    ranked: list[ScoredUnit],
    chosen: list[ScoredUnit],
    *,
    unknown: list[str],
    unseen: list[str],
    asked: list[str],
    criteria: bool,
    rule_refuse: bool = False,
    unseen_share: float = 0.0,
    memo: dict | None = None,
    vector_refuse: float | None = None,
) -> dict[str, float]:
    """Question-level signals the fitted refusal model weighs. Each is a measurement or a
    yes/no check; none decides on its own. ``memo`` keeps the checks of the quoted units
    per choice of units, so re-deciding under new weights (evals.fit) does not redo them."""
    best = chosen[0]
    key = tuple((c.hit.chunk_id, c.unit.index) for c in chosen)
    checks = memo.get(key) if memo is not None else None
    if checks is None:
        checks = _evidence_checks(analysis, hits, chosen, asked)
        if memo is not None:
            memo[key] = checks
    second = ranked[1].score if len(ranked) > 1 else best.score
    return {
        "top_dense": max((h.dense or 0.0) for h in hits),
        "best_dense": best.dense,
        "best_score": best.score,
        "score_margin": best.score - second,
        "best_lexical": best.lexical,
        **checks,
        "gated_type": float(analysis.answer_type in GATED_TYPES),
        "unknown_subject": float(bool(unknown)),
        "unseen_word": float(bool(unseen)),
        "english": float(analysis.language == "en"),
        "criteria": float(criteria),
        "rule_refuse": float(rule_refuse),
        "unseen_share": unseen_share,
        # The answerability model's log-odds (assistant.answerability); absent without a model.
        **({"vector_refuse": vector_refuse} if vector_refuse is not None else {}),
    }


def _evidence_checks(
    analysis: QueryAnalysis, hits: list[Hit], chosen: list[ScoredUnit], asked: list[str]
) -> dict[str, float]:
    """What the quoted units hold: the question's facts, the asked kind of answer, near-misses."""
    best = chosen[0]
    context = context_of(best.hit)
    must = analysis.must_match
    missing = facts_in(must, context) if must else []
    near = near_miss_checks(analysis, hits, chosen, asked)
    return {
        "coverage": coverage(analysis, context),
        "asks_facts": float(bool(must)),
        "facts_missing": len(missing) / len(must) if must else 0.0,
        # One named fact missing ("Noord-Brabant" of "Noord-Brabant, VTH, 2026") weighs apart
        # from the share: a third missing is then as telling as all of them.
        "fact_missing_any": float(bool(missing)),
        "type_absent": float(not has_answer_type(analysis.answer_type, best.unit.text)),
        **{name: float(name in near) for name in _NEAR_MISS_SIGNALS},
        "table_row": float(best.hit.meta.get("kind") == "table_row"),
        # "Hoe lang duurt …", "wat is het telefoonnummer van …": none of the quoted units
        # (sentences, record fields, table rows) gives a duration or a phone number. Checked on
        # what is quoted, not on the whole passage: a frequency two sentences further on is not in
        # the answer the user reads (the choosing sets' weighted accuracy rose with it, see README
        # Quality, session 10). Not the title either: "… 2025-2027" is no duration of anything asked.
        "attribute_absent": float(
            analysis.attribute is not None and not any(has_attribute(analysis.attribute, c.unit.text) for c in chosen)
        ),
    }


def judge(
    analysis: QueryAnalysis,
    hits: list[Hit],
    ranked: list[ScoredUnit],
    chosen: list[ScoredUnit],
    model: LinearModel,
    *,
    off_task: str = "",
    unknown: list[str] | None = None,
    unseen: list[str] | None = None,
    asked: list[str] | None = None,
    criteria: bool = False,
    rule_refuse: bool = False,
    unseen_share: float = 0.0,
    memo: dict | None = None,
    vector_refuse: float | None = None,
) -> Verdict:
    """Answer or refuse. Two hard rules come first: an instruction or another job is never
    answered from the sources, and without evidence there is nothing to quote. Everything
    else is the fitted refusal model: P(refuse | signals) against its threshold."""
    if off_task:
        return Verdict(True, off_task, off_task=True, rule="geen vraag over de bronnen")
    if not hits or not chosen:
        return Verdict(True, "geen passende bronnen gevonden", rule="geen bewijs gevonden")
    signals = refusal_signals(
        analysis, hits, ranked, chosen,
        unknown=unknown or [], unseen=unseen or [], asked=asked or [], criteria=criteria, rule_refuse=rule_refuse,
        unseen_share=unseen_share, memo=memo, vector_refuse=vector_refuse,
    )  # fmt: skip
    p = model.probability(signals)
    refuse = p >= model.threshold
    verdict = Verdict(refuse, signals=signals, probability=p, threshold=model.threshold)
    if refuse:
        verdict.reason = _reason(model, signals)
        if verdict.reason == _REASONS["facts_missing"]:
            missing = facts_in(analysis.must_match, context_of(chosen[0].hit))
            verdict.reason = "niet gevonden in de bronnen: " + ", ".join(missing) if missing else verdict.reason
        elif verdict.reason == _REASONS["attribute_absent"] and analysis.attribute in _ATTRIBUTE_NAMES:
            verdict.reason = f"het bewijs noemt hierbij geen {_ATTRIBUTE_NAMES[analysis.attribute]}"
        if unknown and signals["unknown_subject"]:
            verdict.unknown = list(unknown)
        elif unseen and verdict.reason == _REASONS["unseen_word"]:
            verdict.unknown = list(unseen)
    return verdict


def _reason(model: LinearModel, signals: dict[str, float]) -> str:
    """The signal that pushed hardest towards refusing, in words. A check that fired (a fact
    missing, a near-miss) explains a refusal better than a similarity, which every question
    has some of: those are named first."""
    pushing = [c for c in model.contributions(signals) if c.amount > 0 and c.name in _REASONS]
    checks = [c for c in pushing if c.name not in _MEASURES]
    for c in checks or pushing:
        return _REASONS[c.name]
    return "het bewijs overtuigt onvoldoende"


# The asked attribute (assistant.query._ATTRIBUTES) in a refusal's reason.
_ATTRIBUTE_NAMES = {
    "phone": "telefoonnummer",
    "email": "e-mailadres",
    "address": "adres",
    "clock": "tijdstip",
    "frequency": "frequentie",
    "duration": "duur of termijn",
}


# Continuous measurements (as opposed to checks that fire or not).
_MEASURES = {"top_dense", "best_score", "coverage", "vector_refuse"}


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


_NEAR_MISS_SIGNALS = ("amount_not_near", "entity_elsewhere", "asked_absent", "count_mismatch", "names_missing")


def near_miss_checks(analysis: QueryAnalysis, hits: list[Hit], chosen: list[ScoredUnit], asked: list[str]) -> set[str]:
    """Signs that the sources talk about the question's subject but do not give what it asks.

    - ``amount_not_near``: an amount or percentage is asked, and no figure in the quoted units
      stands next to any of the question's own words ("Wat kost een omgevingsvergunning?"
      answered with a waste-separation cost of "45 euro per ton");
    - ``entity_elsewhere``: a place is named and the quoted units mention it only in passing,
      next to none of the other things asked;
    - ``asked_absent`` / ``count_mismatch``: the asked thing ("Hoeveel medewerkers …") is in
      none of the retrieved passages, or a count in the quoted units counts something else;
    - ``names_missing``: "which municipalities/partners …" is asked and the quoted units name none.
    """
    found: set[str] = set()
    quoted = " ".join(c.unit.text for c in chosen)
    if (
        analysis.answer_type in {"amount", "percentage"}
        and chosen[0].hit.meta.get("kind") != "table_row"
        and max(near_figure(analysis, c.unit.text) for c in chosen) == 0.0
    ):
        found.add("amount_not_near")
    distinctive = distinctive_stems(analysis)
    for entity in analysis.entities:
        if fold(entity) not in GAZETTEER or fold(entity) in _COUNTRIES:
            continue  # countries are the backdrop of every Dutch source, not a confusable place
        others = distinctive - set(content_stems(entity))
        holders = [c.unit.text for c in chosen if fold(entity) in fold(c.unit.text)]
        if others and holders and not any(others & set(content_stems(t)) for t in holders):
            found.add("entity_elsewhere")
    if asked:
        # The asked thing must be somewhere in what retrieval found, not only in the quote.
        passages = " ".join(context_of(h) for h in hits)
        present = set(content_stems(passages)) | set(content_stems(passages.replace("-", " ")))
        asked_stems = [stem for word in asked for stem in content_stems(word)]
        if not any(covered(stem, present) for stem in asked_stems):
            found.add("asked_absent")
        # "Hoeveel bedrijven …" answered with "1.000 medewerkers": the number must count
        # the asked thing (read over the quoted sentence and its neighbours).
        elif analysis.answer_type == "count" and not any(counted(asked_stems, window_of(c)) for c in chosen):
            found.add("count_mismatch")
    if analysis.target in _NAMED_TARGETS:
        question_words = {fold(w) for w in re.findall(r"[\w'-]+", analysis.text)}
        names = [m for m in _PROPER.findall(quoted) if fold(m) not in question_words | GENERIC_CAPS]
        if not names:
            found.add("names_missing")
    return found


def refusal_text(
    analysis: QueryAnalysis, hits: list[Hit], verdict: Verdict, limit: int = 3, *, referral: str = ""
) -> str:
    """An honest 'not in my sources', pointing at the closest passages (and naming the words
    of the question the sources never use, so the user knows what to rephrase). An
    instruction or a request for another job gets what Kringwijs does instead: passages
    "closest" to a poem request would only look like an answer."""
    seen: list[str] = []
    unknown, off_task = verdict.unknown, verdict.off_task
    for hit in hits if not off_task else []:
        title, section = str(hit.meta.get("title", "")), str(hit.meta.get("section", ""))
        label = title if section in ("", title) else f"{title} — {section}"
        if label and label not in seen:
            seen.append(label)
        if len(seen) >= limit:
            break
    if analysis.language == "en":
        text = "That is not in my sources, so I cannot answer it."
        if off_task:
            text += " I only answer questions from my sources about the province's circular-economy programme."
        text += referral
        if seen:
            text += " Closest sources (in Dutch): " + "; ".join(seen) + "."
        return text
    text = "Dat staat niet in mijn bronnen, dus daar kan ik geen antwoord op geven."
    if off_task:
        text += " Ik beantwoord alleen vragen uit mijn bronnen over het circulaire programma van de provincie."
    if unknown:
        text += " Mijn bronnen noemen " + " en ".join(f"‘{w}’" for w in unknown) + " nergens."
    text += referral
    if seen:
        text += " Dichtstbijzijnde bronnen: " + "; ".join(seen) + "."
    return text
