"""Small text helpers shared by query analysis, answering and refusal."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from assistant.lexicon import MONTHS  # noqa: F401  (re-exported: callers import it from here)

_WORD = re.compile(r"[0-9A-Za-zÀ-ÿ][0-9A-Za-zÀ-ÿ'’\-]*")

DUTCH_STOP = set(
    [
        "de",
        "het",
        "een",
        "en",
        "of",
        "in",
        "op",
        "aan",
        "voor",
        "van",
        "met",
        "door",
        "bij",
        "naar",
        "over",
        "uit",
        "om",
        "tot",
        "te",
        "als",
        "dan",
        "dat",
        "die",
        "dit",
        "deze",
        "er",
        "is",
        "zijn",
        "was",
        "waren",
        "wordt",
        "worden",
        "werd",
        "zal",
        "zullen",
        "kan",
        "kunnen",
        "moet",
        "moeten",
        "heeft",
        "hebben",
        "had",
        "hadden",
        "ook",
        "nog",
        "niet",
        "wel",
        "geen",
        "meer",
        "veel",
        "hoe",
        "wat",
        "wie",
        "waar",
        "wanneer",
        "welke",
        "welk",
        "waarom",
        "hoeveel",
        "zoveel",
        "ik",
        "je",
        "jij",
        "u",
        "we",
        "wij",
        "ze",
        "zij",
        "hij",
        "hem",
        "haar",
        "hun",
        "mijn",
        "onze",
        "ons",
        "zich",
        "mij",
        "jou",
        "jullie",
        "men",
        "iets",
        "alles",
        "al",
        "alle",
        "elk",
        "elke",
        "ieder",
        "worden",
        "gaat",
        "gaan",
        "staat",
        "staan",
        "komt",
        "komen",
        "wil",
        "willen",
        "mag",
        "mogen",
        "doen",
        "doet",
        "gedaan",
        "maar",
        "want",
        "dus",
        "toch",
        "nu",
        "hier",
        "daar",
        "toe",
        "the",
    ]
)
ENGLISH_STOP = set(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "in",
        "on",
        "at",
        "for",
        "of",
        "with",
        "by",
        "to",
        "from",
        "about",
        "as",
        "than",
        "that",
        "this",
        "these",
        "those",
        "there",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "will",
        "would",
        "can",
        "could",
        "should",
        "must",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "not",
        "no",
        "yes",
        "what",
        "who",
        "whom",
        "which",
        "where",
        "when",
        "why",
        "how",
        "much",
        "many",
        "does",
        "it",
        "its",
        "they",
        "them",
        "their",
        "our",
        "we",
        "you",
        "your",
        "i",
        "me",
        "my",
        "he",
        "she",
        "his",
        "her",
        "into",
        "per",
        "any",
        "some",
        "all",
        "each",
        "every",
        "more",
        "most",
        "also",
        "still",
    ]
)


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Lower case without accents and with normalised spaces: for matching, never for display.

    Cached: the unit signals fold the same sentences, windows and passages for every
    candidate and question (a profile of ``ask`` put a third of the answer step here)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("\u00a0", " "))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.lower().replace("’", "'")).strip()


_SPACES = re.compile(r"\s+")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("dutch")


# The Snowball stemmer keeps the Latin and the Dutch form apart; users mix them freely
# ("het maximum" asked, "maximaal 2,5 miljoen" written).
_STEM_ALIASES = {"maximum": "maximaal", "minimum": "minimaal"}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    stemmed = _stemmer().stemWord(fold(word))
    return _STEM_ALIASES.get(stemmed, stemmed)


def content_stems(text: str) -> list[str]:
    """Stemmed content words (no stopwords, no one-letter tokens)."""
    return list(_content_stems(text))


@lru_cache(maxsize=200_000)
def _content_stems(text: str) -> tuple[str, ...]:
    # Evidence units and headings recur across questions: stem each text once per process.
    out = []
    for w in words(text):
        f = fold(w)
        if len(f) < 2 or f in DUTCH_STOP or f in ENGLISH_STOP:
            continue
        out.append(stem(f))
    return tuple(out)
