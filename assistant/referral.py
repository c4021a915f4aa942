"""Where to go instead: the contact routes a refusal points to.

The routes are sourced, dated knowledge records (``knowledge/contacts``). Which ones fit a
question is read from its words: a subsidy question goes to the subsidy desks, a permit
question to the environmental agencies. This only picks what to show under a refusal; it never
decides whether to answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from assistant.text import content_stems

# Question stems that point at each topic (Dutch and English; stems as content_stems makes them).
_TOPIC_WORDS = {
    "subsidie": "subsidie subsidies regeling regelingen aanvragen aanvraag bijdrage grant grants subsidy",
    "financiering": "financiering lening investering investeren fonds krediet geld kapitaal loan funding invest",
    "vergunning": "vergunning omgevingsvergunning melding permit licence license",
    "toezicht": "toezicht handhaving controle boete inspectie enforcement",
    "afval": "afval bedrijfsafval scheiden afvalscheiding recyclen recycling restafval waste",
    "regelgeving": "regels wet wetgeving verplicht verplichting mag moet rules law regulation",
    "circulair-ondernemen": "ondernemer ondernemen bedrijf bedrijven advies ondersteuning hulp mkb startup business",
    "inkoop": "inkoop inkopen aanbesteding aanbesteden tender eisen criteria criterium procurement",
}
_TOPIC_STEMS = {topic: set(content_stems(words)) for topic, words in _TOPIC_WORDS.items()}
_FALLBACK = "provincie"
# Words that route by topic, never by name.
_NOT_NAMES = set().union(*_TOPIC_STEMS.values()) | set(content_stems(_FALLBACK))


def topics_of(question: str) -> list[str]:
    """The contact topics a question is about, most matching words first ('provincie' if none)."""
    stems = set(content_stems(question))
    scored = [(len(stems & wanted), topic) for topic, wanted in _TOPIC_STEMS.items()]
    found = [topic for n, topic in sorted(scored, key=lambda x: -x[0]) if n > 0]
    return found or [_FALLBACK]


@lru_cache(maxsize=256)
def _names(organisation: str) -> frozenset[str]:
    """The stems of an organisation's own names: its acronyms (RVO, MIA, ROM, PIANOo) and a long
    capitalised first word (Versnellingshuis, Ondernemersplein), not its common words ("regio",
    "partners", "Circulair") nor a topic's words ("subsidies", "Provincie": topics route those)."""
    tokens = re.findall(r"[\w-]+", organisation)
    own = [t for t in tokens if sum(ch.isupper() for ch in t) >= 2]
    if tokens and tokens[0][:1].isupper() and len(tokens[0]) >= 8:
        own.append(tokens[0])
    return frozenset(set(content_stems(" ".join(own))) - _NOT_NAMES)


def named_routes(question: str, routes: Sequence[Any]) -> list[Any]:
    """Routes whose own name the question uses ("hoeveel krijg je bij de MIA" -> the RVO desk for
    MIA and Vamil; "RVO" -> both desks RVO takes part in). A name more than two routes carry
    names none of them."""
    stems = set(content_stems(question))
    names = [_names(r.organisation) for r in routes]
    shared = Counter(stem for name in names for stem in name)
    return [r for r, name in zip(routes, names, strict=True) if any(shared[s] <= 2 and s in stems for s in name)]


def routes_for(question: str, routes: Sequence[Any], limit: int = 2) -> list[Any]:
    """Up to ``limit`` contact routes: the ones the question names, then those for its topics."""
    chosen: list[Any] = named_routes(question, routes)[:limit]
    # The most specific desk for a topic first: the province's general desk, not its subsidy
    # desk, for a question about nothing in particular.
    specific_first = sorted(routes, key=lambda r: len(r.topics))
    for topic in [*topics_of(question), _FALLBACK]:
        if len(chosen) >= limit:
            break
        for route in specific_first:
            if topic in route.topics and route not in chosen:
                chosen.append(route)
                break
    return chosen


def referral_text(routes: Sequence[Any], language: str) -> str:
    if not routes:
        return ""
    where = "; ".join(r.referral() for r in routes)
    if language == "en":
        return f" You can ask: {where}."
    return f" U kunt hiervoor terecht bij: {where}."
