"""Dutch-aware sentence splitting for evidence units.

A regex splitter rather than nltk's punkt: it must run offline with no data files and
must not split on the abbreviations Dutch policy text is full of ("o.a.", "d.m.v.").
"""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "o.a",
    "d.m.v",
    "bijv",
    "bv",
    "e.d",
    "ca",
    "art",
    "nr",
    "m.b.t",
    "t.a.v",
    "i.p.v",
    "z.s.m",
    "e.a",
    "etc",
    "incl",
    "excl",
    "mln",
    "mld",
    "jan",
    "feb",
    "mrt",
    "apr",
    "aug",
    "sept",
    "okt",
    "nov",
    "dec",
    "blz",
    "p",
    "pag",
    "vgl",
    "zgn",
    "resp",
    "t.b.v",
    "m.n",
    "d.w.z",
    "o.b.v",
    "e.v",
    "dhr",
    "mevr",
    "drs",
    "ir",
    "dr",
    "prof",
    "mr",
    "st",
    "vs",
    "i.e",
    "e.g",
    "a.s",
    "jl",
    "t/m",
}

_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-ZÀ-Ý0-9•€])")


def _ends_with_abbreviation(text: str) -> bool:
    match = re.search(r"(\S+)\.$", text)
    if not match:
        return False
    word = match.group(1).lower().lstrip('("“‘')
    return word in _ABBREVIATIONS or len(word) == 1


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; keeps abbreviations and amounts ("€ 2.000.000") intact."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start()].strip()
        if _ends_with_abbreviation(candidate):
            continue
        if candidate:
            pieces.append(candidate)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return _merge_fragments(pieces)


def _merge_fragments(pieces: list[str]) -> list[str]:
    """Glue very short fragments (a stray "2." or "Doel:") onto their neighbour."""
    merged: list[str] = []
    for piece in pieces:
        if merged and len(piece) < 12:
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged
