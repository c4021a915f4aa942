"""Typos and missing accents in a Dutch question, corrected against the words the sources use.

Users type "volawssenheidsmeting", "subsidei" and "coordinator"; the sources say
"volwassenheidsmeting", "subsidie" and "coördinator". BM25 matches whole stems, so one swapped
letter loses the word for lexical search, and the refusal model counts it as a word the sources
never use. This is the classic "did you mean" step of a search engine, with nothing fitted to
questions: a word of five letters or more that the sources do not know is replaced by the word
one edit away (a letter deleted, inserted, replaced or two letters swapped, or an accent added)
that the sources use, a real Dutch word before a corpus-only one, the commonest first.

Only a word that is neither in the sources nor in a general Dutch word list is corrected: "morgen",
"bespaart" or "Zeist" are real words the sources happen not to use, and "wat wordt het weer
morgen" must stay a question about tomorrow (read as "zorgen" it would look answerable). A known
compound of known words ("kernenergie") stays as typed too: it may be a real subject the sources
do not cover, which the refusal model must still see. The word list is pyspellchecker's Dutch
frequency list (OpenSubtitles, 343,585 words), shipped inside the package: nothing is downloaded.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Protocol

import numpy as np

from assistant.scope import Vocabulary, known_compound, known_word
from assistant.text import DUTCH_STOP, fold

_LETTERS = "abcdefghijklmnopqrstuvwxyz" + "ëïöüéèáóú"
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# A key of the word list's flat JSON object, one a line, without escapes.
_JSON_KEY = re.compile(rb'"([^"\\]*)":')
# Shorter words have too many neighbours one edit away to pick one honestly ("kost", "post").
_MIN_LENGTH = 5
# A neighbour must be used by at least this many passages: one odd word in one passage (a name,
# a foreign word in a quoted label) is not what a user meant.
_MIN_PASSAGES = 2


class Lexicon(Vocabulary, Protocol):
    """What the corpus knows, and how often (ingest.bm25.Vocabulary)."""

    def frequency(self, word: str) -> int: ...


def correct(question: str, lexicon: Lexicon) -> tuple[str, list[tuple[str, str]]]:
    """The question with its misspelt words replaced, and the (typed, corrected) pairs."""
    corrections: list[tuple[str, str]] = []

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        better = suggestion(word, lexicon)
        if better is None:
            return word
        corrections.append((word, better))
        return better

    corrected = _WORD.sub(fix, question)
    return corrected, corrections


def suggestion(word: str, lexicon: Lexicon) -> str | None:
    """The word one edit away that the sources use most, or None to keep ``word``."""
    lower = word.lower()
    if len(lower) < _MIN_LENGTH or any(ch.isupper() for ch in word[1:]):
        return None  # acronyms and names in capitals ("ROM", "RvO") are checked elsewhere
    if fold(lower) in DUTCH_STOP or known_word(word, lexicon):
        return None
    dutch = dutch_words()
    if lower in dutch or known_compound(lower.replace("-", ""), lexicon):
        return None
    best, best_rank = None, (False, 0)
    for candidate in sorted(_edits(lower)):
        # Stopwords ("hoeveel", "kunnen") were never indexed, so the sources' counts miss them;
        # they decide what kind of answer is asked, so a typo in one is worth fixing first.
        count = 10**6 if candidate in DUTCH_STOP else lexicon.frequency(candidate)
        if count < _MIN_PASSAGES:
            continue
        # "winaars": "winnaars" (a word) before "winbaars" (a stem the sources use, not a word).
        rank = (candidate in dutch, count)
        if rank > best_rank:
            best, best_rank = candidate, rank
    return best


class WordList:
    """A set of words kept as their sorted 64-bit hashes: 2.7 MB for the Dutch list, where a
    Python set of its strings held 86 MB in every API worker. A hash collision can only let a
    non-word rank as a word among candidates that the sources use anyway."""

    def __init__(self, words: Iterable[bytes]) -> None:
        self._hashes = np.sort(np.fromiter((hash(w) for w in words), dtype=np.int64))

    def __len__(self) -> int:
        return len(self._hashes)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        key = hash(word.encode("utf-8"))
        at = int(np.searchsorted(self._hashes, key))
        return at < len(self._hashes) and int(self._hashes[at]) == key


@lru_cache(maxsize=1)
def dutch_words() -> WordList:
    """The general Dutch word list (0.3 s to load; the API loads it while it warms up)."""
    # A flat {"word": count, ...} object, one key a line, without escapes. Read line by line as
    # UTF-8 bytes, its 343,585 words are never alive together as strings and no decompressed
    # copy of the 6.6 MB text is made: json.loads left 45 MB behind in an API worker, a
    # decompressed copy 15 MB; this leaves the 2.7 MB of hashes.
    source = resources.files("spellchecker").joinpath("resources/nl.json.gz")
    with source.open("rb") as raw, gzip.GzipFile(fileobj=raw) as lines:
        return WordList(m.group(1) for line in lines if (m := _JSON_KEY.match(line)))


def _edits(word: str) -> set[str]:
    """Every string one edit (Damerau–Levenshtein) from ``word``, over Dutch letters."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}
