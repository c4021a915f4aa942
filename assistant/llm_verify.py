"""Check a generated answer against the passages it cites, in code (no model involved).

Three rules, all strict:

* every citation ``[n]`` must point at a passage that was in the prompt;
* every number, amount, percentage, year and named organisation in a sentence must
  occur in the passages that sentence cites (a sentence without its own marker is held
  against all passages the answer cites);
* a figure must belong to the year it is given for: "€ 80.000 in 2026" fails against
  "€ 80.000 in 2025, € 65.000 in 2026". The year is the one in the answer's sentence, or
  else the question's; the passage binds a figure to the years in its own clause.

Numbers are compared by value, so "€ 400.000", "400.000", "400,000" and "4 ton" are one
fact, as are "2,5 miljoen" and "2.500.000"; a percentage only matches a percentage.

Usage::

    result = verify("In 2026 gaat € 400.000 naar VTH [1].", ["VTH — Budget 2026 en 2027: € 400.000"])
    assert result.ok
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from assistant.lexicon import NUMBER_VALUES, YEAR_IN_FIGURES
from assistant.text import fold

_MARKER = re.compile(r"\[\s*(?:bron|source)?\s*(\d+(?:\s*[,;–-]\s*\d+)*)\s*\]", re.IGNORECASE)
_NUMBER = re.compile(
    r"(?<![\w.,])(?:(?P<grouped>\d{1,3}(?:[.,]\d{3})+)(?![.,]?\d)|(?P<plain>\d+(?:[.,]\d+)?))"
    r"(?:\s*(?P<pct>%|procent\b|percent\b)|\s*(?P<mult>miljoen|mln\b\.?|millions?\b|miljard|mld\b\.?|billions?\b"
    r"|duizend|thousand\b|ton\b))?",
    re.IGNORECASE,
)
_MULTIPLIERS = {
    "miljoen": 10**6,
    "mln": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "miljard": 10**9,
    "mld": 10**9,
    "billion": 10**9,
    "billions": 10**9,
    "duizend": 10**3,
    "thousand": 10**3,
    # "4 ton" is Dutch shorthand for € 400.000.
    "ton": 10**5,
}
# "acht" after "in" is the idiom "in acht nemen", not the number eight.
_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(w for w in NUMBER_VALUES if w != "acht") + r"|(?<!\bin )acht)\b", re.IGNORECASE
)
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]\s+|\d{1,2}[.)]\s+)", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?!\[)|\n+")
_TOKEN = re.compile(r"[A-Za-zÀ-ÿ][\wÀ-ÿ'’&\-]*")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]+(?:['’]?s)?")
# Names the assistant may use without a source: its own name and the province it serves.
_ALLOWED_NAMES = {"kringwijs", "utrecht", "utrechtse", "provincie"}
_REFUSAL = re.compile(
    r"(staat niet in (mijn|de) (bronnen|documenten)|niet in mijn bronnen|not in (my|the) sources)", re.IGNORECASE
)


@dataclass
class Verification:
    """The outcome: ``ok`` or the first reasons it failed; ``cited`` lists the markers used."""

    ok: bool
    cited: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str | None:
        return None if self.ok else "verificatie mislukt: " + "; ".join(self.problems[:3])


def citation_numbers(text: str) -> list[int]:
    """All numbers inside citation markers, in order of appearance ("[1, 2]" gives 1 and 2)."""
    out: list[int] = []
    for match in _MARKER.finditer(text):
        for part in re.split(r"\s*[,;–-]\s*", match.group(1)):
            out.append(int(part))
    return out


def strip_markers(text: str) -> str:
    return _MARKER.sub(" ", text)


def is_model_refusal(text: str) -> bool:
    """The model said the evidence does not hold the answer, and cited nothing."""
    return bool(_REFUSAL.search(text)) and not citation_numbers(text)


def _value(raw: str) -> Decimal | None:
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def numbers_in(text: str) -> list[tuple[str, Decimal, bool]]:
    """``(as written, value, is_percentage)`` for each number in ``text``; multipliers applied."""
    found: list[tuple[str, Decimal, bool]] = []
    for match in _NUMBER.finditer(text):
        if match.group("grouped"):
            value = _value(re.sub(r"[.,]", "", match.group("grouped")))
        else:
            value = _value(match.group("plain").replace(",", "."))
        if value is None:
            continue
        mult = (match.group("mult") or "").lower().rstrip(".")
        if mult:
            value *= _MULTIPLIERS[mult]
        found.append((match.group(0).strip(), value, bool(match.group("pct"))))
    for match in _NUMBER_WORD.finditer(text):
        found.append((match.group(0), Decimal(NUMBER_VALUES[match.group(0).lower()]), False))
    return found


def _passage_values(text: str) -> tuple[set[Decimal], set[Decimal]]:
    """All values a passage states (with and without multiplier), and its percentages."""
    values: set[Decimal] = set()
    percents: set[Decimal] = set()
    for written, value, pct in numbers_in(text):
        values.add(value)
        if pct:
            percents.add(value)
        bare = _NUMBER.match(written)
        if bare and bare.group("mult"):
            # "2,5 miljoen" also states the bare figure 2,5.
            inner = bare.group("grouped") or bare.group("plain")
            raw = _value(re.sub(r"[.,]", "", inner) if bare.group("grouped") else inner.replace(",", "."))
            if raw is not None:
                values.add(raw)
    return values, percents


def names_in(text: str) -> list[str]:
    """Acronyms anywhere, and capitalised words that do not open a sentence or list item."""
    names: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0).rstrip("-'’")
        if len(token) < 2 or not token[0].isupper():
            continue
        before = text[: match.start()].rstrip(" \t*_\"'“”‘’(")
        sentence_start = not before or before[-1] in ".!?:\n-•–—"
        if _ACRONYM.fullmatch(token) or not sentence_start:
            names.append(token)
    return names


def _name_found(name: str, folded_passages: str) -> bool:
    folded = fold(name)
    if folded in _ALLOWED_NAMES:
        return True
    stems = {folded, re.sub(r"['’]?s$", "", folded), re.sub(r"(se|e)$", "", folded)}
    if any(len(s) >= 2 and re.search(rf"(?<![a-z0-9]){re.escape(s)}", folded_passages) for s in stems):
        return True
    parts = [p for p in re.split(r"-", name) if p[:1].isupper()]
    return len(parts) > 1 and all(_name_found(p, folded_passages) for p in parts)


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(_LIST_MARKER.sub("", text)) if s.strip()]


# Clauses of a passage: a figure belongs to the years of its own clause.
_CLAUSE = re.compile(r";\s+|,\s+|\.\s+|\n+")


def _years(text: str) -> set[str]:
    return set(YEAR_IN_FIGURES.findall(text))


def _bound_to_other_year(value: Decimal, claimed: set[str], context: str) -> bool:
    """True when every clause of ``context`` that states ``value`` names years, none of
    them claimed: the figure is there, but for another year."""
    seen = False
    for clause in _CLAUSE.split(context):
        if not any(v == value for _w, v, _p in numbers_in(clause)):
            continue
        seen = True
        years = _years(clause)
        if not years or years & claimed:
            return False
    return seen


def verify(answer: str, passages: list[str], years: list[str] | None = None) -> Verification:
    """Check ``answer`` against ``passages`` (passage ``i`` is cited as ``[i + 1]``);
    ``years`` are the question's, used for sentences that name no year themselves."""
    problems: list[str] = []
    all_cited = citation_numbers(answer)
    invalid = sorted({n for n in all_cited if not 1 <= n <= len(passages)})
    if invalid:
        problems.append("onbekende bronverwijzing " + ", ".join(f"[{n}]" for n in invalid))
    valid = sorted({n for n in all_cited if 1 <= n <= len(passages)})
    if not valid:
        problems.append("geen geldige bronverwijzing")
    for sentence in _sentences(answer):
        own = [n for n in citation_numbers(sentence) if 1 <= n <= len(passages)]
        cited = own or valid
        context = " ".join(passages[n - 1] for n in cited)
        values, percents = _passage_values(context)
        folded = fold(context)
        label = ",".join(str(n) for n in cited) or "-"
        bare = strip_markers(sentence)
        claimed = _years(bare) or set(years or [])
        for written, value, pct in numbers_in(bare):
            if (value not in percents) if pct else (value not in values):
                problems.append(f"getal '{written}' staat niet in bron [{label}]")
            elif claimed and str(value) not in claimed and _bound_to_other_year(value, claimed, context):
                problems.append(f"getal '{written}' hoort in bron [{label}] bij een ander jaar")
        for name in names_in(bare):
            if not _name_found(name, folded):
                problems.append(f"naam '{name}' staat niet in bron [{label}]")
    return Verification(ok=not problems, cited=valid, problems=list(dict.fromkeys(problems)))
