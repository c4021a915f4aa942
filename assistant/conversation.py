"""Follow-ups become standalone queries built from the previous turn.

"En in 2027?" after "Hoeveel budget heeft VTH in 2026?" becomes
"Hoeveel budget heeft VTH in 2027?"; raw history is never pasted into search.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.lexicon import QUESTION_WORDS, YEAR_RE
from assistant.text import DUTCH_STOP, ENGLISH_STOP, fold, words

# Words that point back to the previous turn. Articles ("het", "de", "die" before a noun)
# are left out: they make "Wat is het hoofddoel…?" look like a follow-up.
_PRONOUNS = set(
    """dat daar daarvan daarvoor daarmee daarin daarover daarop daaraan daarbij daardoor hij zij ze hem hun hen
    ervan erin erover ervoor hiervoor hierover hiermee that it this they them those these there""".split()
)
_PREP_FOLLOWUP = re.compile(
    r"^(?:en|and|maar|en hoe zit het met|what about|how about)?\s*(voor|van|bij|naar|over|aan|for|of|about|to)\s+(.+?)\s*[?.!]*$",
    re.IGNORECASE,
)
_BARE_FOLLOWUP = re.compile(r"^(?:en|and|what about|how about|en hoe zit het met)\s+(.+?)\s*[?.!]*$", re.IGNORECASE)


def _last_user(history: Sequence[dict]) -> str | None:
    for turn in reversed(history):
        if turn.get("role") == "user" and str(turn.get("content", "")).strip():
            return str(turn["content"]).strip()
    return None


def is_follow_up(question: str) -> bool:
    tokens = [fold(w) for w in words(question)]
    content = [t for t in tokens if t not in DUTCH_STOP and t not in ENGLISH_STOP]
    if not tokens:
        return False
    if tokens[0] in {"en", "and", "maar", "ook"}:
        return True
    if len(tokens) <= 8 and any(t in _PRONOUNS for t in tokens):
        return True
    return len(content) <= 1


def standalone_query(question: str, history: Sequence[dict] | None) -> str:
    """Rewrite a follow-up into a self-contained question; other questions pass through."""
    question = question.strip()
    previous = _last_user(history or [])
    if not previous or not is_follow_up(question):
        return question
    previous = standalone_query(previous, [])  # history of the history is not kept: bounded
    new_years = YEAR_RE.findall(question)
    old_years = YEAR_RE.findall(previous)
    rest = YEAR_RE.sub("", question)
    rest_tokens = [fold(w) for w in words(rest)]
    only_year = new_years and all(
        t in {"en", "in", "and", "voor", "for", "het", "jaar", "year", "dan"} for t in rest_tokens
    )
    if new_years and old_years and only_year:
        rewritten = previous
        for old, new in zip(old_years, new_years, strict=False):
            rewritten = rewritten.replace(old, new, 1)
        return rewritten
    if new_years and only_year:
        return f"{previous.rstrip('?')} in {' en '.join(new_years)}?"
    match = _PREP_FOLLOWUP.match(question)
    if match:
        prep, phrase = match.group(1).lower(), match.group(2)
        pattern = re.compile(
            rf"\b{prep}\s+(?:de |het |een )?[^?]+?(?=\s+(?:in|voor|van|bij|naar|over)\s|\?|$)", re.IGNORECASE
        )
        if pattern.search(previous):
            return pattern.sub(f"{prep} {phrase}", previous, count=1)
        return f"{previous.rstrip('?')} {prep} {phrase}?"
    match = _BARE_FOLLOWUP.match(question)
    if match and len(words(match.group(1))) <= 4:
        # "En de ROM?" — swap the subject of the previous question for the new one.
        return f"{previous.rstrip('?')} — {match.group(1)}?"
    topic = [w for w in words(previous) if fold(w) not in QUESTION_WORDS and fold(w) not in DUTCH_STOP]
    return f"{question.rstrip('?')} ({' '.join(topic)})?"
