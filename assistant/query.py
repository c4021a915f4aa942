"""What a question asks for: language, answer type, and the facts it names.

The named facts (years, figures, places, organisations) drive the refusal check: a
question about Gelderland's budget must not be answered with Utrecht's figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from assistant.lexicon import QUESTION_WORDS
from assistant.text import DUTCH_STOP, ENGLISH_STOP, content_stems, fold, words

AnswerType = Literal["amount", "count", "percentage", "quantity", "when", "who", "name", "list", "why", "how", "what"]

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d|21\d\d)\b")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)(?![\w])")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&+]{1,9}s?\b")

# Places and bodies that are *not* in the bundled knowledge but that users mix up with it.
# Any of these named in a question must appear in the evidence, or the question is refused.
GAZETTEER = {
    fold(n)
    for n in [
        "Groningen",
        "Friesland",
        "Fryslân",
        "Drenthe",
        "Overijssel",
        "Flevoland",
        "Gelderland",
        "Noord-Holland",
        "Zuid-Holland",
        "Zeeland",
        "Noord-Brabant",
        "Brabant",
        "Limburg",
        "Amsterdam",
        "Rotterdam",
        "Den",
        "Haag",
        "Eindhoven",
        "Amersfoort",
        "Nieuwegein",
        "Zeist",
        "Veenendaal",
        "Houten",
        "Woerden",
        "IJsselstein",
        "Nederland",
        "België",
        "Duitsland",
        "Frankrijk",
        "Europa",
        "Brussel",
        "Vlaanderen",
        "Berlijn",
        "Parijs",
        "Londen",
        "Rijkswaterstaat",
        "Prorail",
        "Schiphol",
        "Belgium",
        "Germany",
        "France",
        "Netherlands",
        "Europe",
        "London",
        "Paris",
        "Berlin",
        "Gelderse",
        "Brabantse",
        "Limburgse",
        "Friese",
        "Groningse",
        "Zeeuwse",
    ]
}
# Words that look like names in a question but are generic in this domain.
GENERIC_CAPS = {
    fold(w)
    for w in [
        "Utrecht",
        "Utrechtse",
        "Rijk",
        "EU",
        "Europese",
        "Nederlandse",
        "Nederlands",
        "Dutch",
        "English",
        "Engels",
        "Kringwijs",
        "UVA",
        "MTS",
        "CS",
        "GS",
        "PS",
        "MVOI",
        "MVI",
    ]
}

_QUESTION_OPENERS = {
    "hoeveel",
    "wanneer",
    "wie",
    "welke",
    "welk",
    "wat",
    "waarom",
    "hoe",
    "waar",
    "is",
    "zijn",
    "kan",
    "kun",
    "kunt",
    "mag",
    "moet",
    "heeft",
    "hebben",
    "geef",
    "noem",
    "beschrijf",
    "leg",
    "vertel",
    "en",
    "how",
    "what",
    "when",
    "who",
    "which",
    "why",
    "where",
    "are",
    "can",
    "does",
    "do",
    "give",
    "list",
    "tell",
    "describe",
    "explain",
    "and",
    "in",
    "voor",
    "bij",
    "per",
    "op",
    "tot",
    "met",
    "volgens",
    "negeer",
    "vergeet",
    "ignore",
    "forget",
    "please",
    "graag",
}

# Not "budget": the Dutch sources use it as much ("totaal budget 2025?" was taken for English).
_ENGLISH_HINTS = ENGLISH_STOP | {"much", "many", "province", "circular", "who", "which", "money"}


@dataclass
class QueryAnalysis:
    text: str
    language: Literal["nl", "en"]
    answer_type: AnswerType
    years: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    stems: list[str] = field(default_factory=list)
    # "Welke motie …?" asks for a motie: the answer should name one.
    target: str | None = None
    # A narrower kind of fact than the answer type: a phone number, an address, a clock time,
    # a duration or a frequency ("hoe lang duurt …" is a "how" question that needs a duration).
    attribute: str | None = None
    # No question word at all ("social return bij tonercartridges", "moet ik …?"): the user
    # names a subject without saying what about it they want. Which record field answers such
    # a question is learned apart from an explicit "wat …?" (evidence: veld:<field>:kaal).
    bare: bool = False

    @property
    def must_match(self) -> list[str]:
        """Facts the evidence must contain for the answer to be about the same thing."""
        return [*self.years, *self.numbers, *self.entities]


def detect_language(text: str) -> Literal["nl", "en"]:
    tokens = [fold(w) for w in words(text)]
    en = sum(t in _ENGLISH_HINTS for t in tokens)
    nl = sum(t in DUTCH_STOP for t in tokens)
    return "en" if en > nl else "nl"


# First match wins: "hoeveel procent" is a percentage, "hoeveel geld" and "hoeveel krijg je" an
# amount, "hoeveel" a count. English the same way: "how much is budgeted" is an amount, "how
# much waste does a visitor leave" a count (a bare "how much" was an amount, so a quote of
# "2,33 kilogram" counted as lacking the asked kind of answer and the question was refused).
_ANSWER_TYPES: list[tuple[AnswerType, re.Pattern[str]]] = [
    # Before "amount": "welk percentage van het budget" asks for a percentage, though "budget"
    # is an amount word; compounds count too ("wegingspercentage", "minimumpercentage").
    ("percentage", re.compile(r"\b(\w*percentage\w*|procent|hoeveel procent|what share|percent)\b")),
    ("name", re.compile(r"\b(naam|name|named|heet|hoe heet|called)\b")),
    (
        "amount",
        re.compile(
            r"\b(hoeveel (geld|budget|euro|middelen|subsidie|krijg\w*|ontvang\w*)|welk bedrag|hoe ?veel kost|budget|bedrag|euro|"
            r"how much (money|funding|subsid\w*|grant\w*|euro\w*)|"
            r"how much\b.*\b(cost\w*|budget\w*|spen[dt]\w*|gives?|contribut\w*|pay|paid|receives?|gets?|earns?|worth)|"
            r"verdien\w*|salaris|kost|kosten|tarief|prijs|money)\b"
        ),
    ),
    # "Welk dashboard … het aantal ondernemers …" names a count but asks for a name.
    ("count", re.compile(r"\b(hoeveel|how many|how much|(wat|hoe groot) is het aantal)\b")),
    ("when", re.compile(r"\b(wanneer|in welk jaar|welke datum|tot wanneer|vanaf wanneer|when|what year|deadline)\b")),
    ("who", re.compile(r"\b(wie|welk team|welke partij|welke organisatie|who|which team)\b")),
    ("why", re.compile(r"\b(waarom|why)\b")),
    ("list", re.compile(r"\b(welke|noem|wat zijn|which|list|what are)\b")),
    # "Wat is de minimale investering …?" asks for a figure, though not necessarily money.
    (
        "quantity",
        re.compile(
            r"\b(minimum|maximum|minimale|maximale|minimaal|maximaal|hoogte|hoe hoog|hoe groot|how high|how large)\b"
        ),
    ),
    ("how", re.compile(r"\b(hoe|how)\b")),
]


# Near-miss questions often ask for an attribute the sources never give for their subject
# ("wat is het telefoonnummer van …", "hoe lang duurt …"). Matched on the folded question;
# assistant.evidence.has_attribute says what each looks like in a passage.
_ATTRIBUTES: list[tuple[str, re.Pattern[str]]] = [
    ("phone", re.compile(r"\b(telefoonnummer\w*|belnummer|phone number|telephone|phone)\b")),
    # The address itself, not "per e-mail indienen".
    ("email", re.compile(r"\b(e-?mailadres\w*|mailadres\w*|e-?mail address(es)?)\b")),
    # A postal or visiting address, not "how does the plan address …" nor "waar zitten de knelpunten".
    (
        "address",
        re.compile(
            r"\b(adres|bezoekadres|postadres|the address|address of|postal address|visiting address|"
            r"waar (zit|is|staat) (het|hun) (kantoor|bureau|loket)|gevestigd|located)\b"
        ),
    ),
    ("clock", re.compile(r"\b(hoe laat|openingstijd\w*|what time (is|does|do|will|are)|at what time|opening hours)\b")),
    ("frequency", re.compile(r"\b(hoe vaak|hoe dikwijls|how often|how frequently)\b")),
    (
        "duration",
        re.compile(r"\b(hoe lang|how long|looptijd|doorlooptijd|beslistermijn|hoeveel tijd|how much time)\b"),
    ),
]


def _attribute(folded: str) -> str | None:
    return next((kind for kind, pattern in _ATTRIBUTES if pattern.search(folded)), None)


def _answer_type(folded: str) -> AnswerType:
    return next((kind for kind, pattern in _ANSWER_TYPES if pattern.search(folded)), "what")


_POSSESSIVE = re.compile(r"(?<=\w)['’]s$")


def _entity_tokens(tokens: list[str]) -> list[str]:
    """Split compounds such as 'RCIO-coalitie' or 'CSRD-analyse': only the name part is a name.
    A plural or possessive 's ("SAP's", "RVO's") is not part of the name either: the sources
    write "SAP" and "RVO", and "SAP's" was reported missing from the passage that defines it."""
    out: list[str] = []
    for token in tokens:
        token = _POSSESSIVE.sub("", token)
        if "-" in token and fold(token) not in GAZETTEER:
            head = token.split("-")[0]
            out.append(head if head else token)
        else:
            out.append(token)
    return out


def analyse(question: str) -> QueryAnalysis:
    folded = fold(question)
    language = detect_language(question)
    years = sorted(set(_YEAR.findall(question)))
    numbers = []
    for match in _NUMBER.findall(question):
        if match in years or len(match.replace(".", "").replace(",", "")) < 2:
            continue
        numbers.append(match)
    entities: list[str] = []
    # "Alliantie Cirkelregio Utrecht (ACU)": the acronym is an alias the user supplies, not a
    # separate fact the sources must contain.
    aliases = {m.group(1) for m in re.finditer(r"\(([A-Z][A-Z0-9]{1,9})\)", question)}
    tokens = [t for t in words(question) if t not in aliases]
    for index, token in enumerate(_entity_tokens(tokens)):
        f = fold(token)
        if f in GAZETTEER:
            entities.append(token)
            continue
        if f in GENERIC_CAPS or f in _QUESTION_OPENERS:
            continue
        is_acronym = bool(_ACRONYM.fullmatch(token))
        is_name = token[:1].isupper() and index > 0 and f not in DUTCH_STOP and f not in ENGLISH_STOP
        # English questions capitalise words that are plain Dutch nouns in the sources, so
        # only acronyms and the gazetteer count there.
        if len(token) > 1 and (is_acronym or (is_name and language == "nl")):
            entities.append(token)
    target_match = re.search(r"\b(?:welke|welk|which|what)\s+([a-zà-ÿ'’-]{4,})", folded)
    target = content_stems(target_match.group(1))[:1] if target_match else []
    return QueryAnalysis(
        text=question,
        language=language,
        answer_type=_answer_type(folded),
        years=years,
        numbers=sorted(set(numbers)),
        entities=list(dict.fromkeys(entities)),
        stems=content_stems(question),
        target=target[0] if target else None,
        attribute=_attribute(folded),
        bare=not {fold(w) for w in words(question)} & QUESTION_WORDS,
    )
