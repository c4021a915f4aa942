"""Joining PDF lines into running text, undoing only the hyphenation the line break made.

A hyphen at a line end is either typesetting ("circu-" + "laire") or part of the word
("CO2-" + "beprijzing", "VTH-" + "instrumentarium", "P&C-" + "cyclus", "zee-" + "egel").
Removing it from the second kind breaks the compound, so it is removed only when the
evidence says the line break made it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[\w&'’]+(?:-[\w&'’]+)*")
_TAIL = re.compile(r"([\w&'’]+)-$")
_HEAD = re.compile(r"^([\w&'’]+)")
_SOFT_HYPHEN = "\u00ad"
_SUSPENDED = {"en", "of", "tot", "noch", "and", "or"}
_VOWELS = set("aeiouyáéíóúäëïöüàèìòù")


def vocabulary(lines: Iterable[str]) -> set[str]:
    """Every word and hyphenated compound written out in the middle of a line."""
    words: set[str] = set()
    for line in lines:
        body = line[:-1] if line.endswith("-") else line
        words.update(word.lower() for word in _WORD.findall(body))
    return words


def keep_hyphen(head: str, tail: str, vocab: set[str] | None = None) -> bool:
    """Is the hyphen in ``head-`` + ``tail`` part of the word (True) or of the line break?"""
    if tail.lower() in _SUSPENDED:
        return True  # "van- en samenwerken": the hyphen stands for a word left out
    if not tail or not tail[0].isalpha() or tail[0].isupper():
        return True  # "2025-" "2027", "Noord-" "Holland"
    if any(ch.isdigit() or ch == "&" for ch in head) or sum(ch.isupper() for ch in head) >= 2:
        return True  # "CO2-beprijzing", "P&C-cyclus", "VTH-instrumentarium"
    if vocab:
        joined, hyphenated = (head + tail).lower(), f"{head}-{tail}".lower()
        if hyphenated in vocab and joined not in vocab:
            return True
        if joined in vocab:
            return False
    # Dutch writes a hyphen where two vowels would be misread ("zee-egel", "auto-industrie").
    return head[-1].lower() in _VOWELS and tail[0].lower() in _VOWELS


def join_lines(lines: list[str], vocab: set[str] | None = None) -> str:
    """One paragraph from its lines, with line-break hyphenation undone."""
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not text:
            text = line
            continue
        if text.endswith(_SOFT_HYPHEN):
            text = text[:-1] + line
            continue
        if text.endswith("-") and line.startswith("-"):
            text += line[1:]  # some typesetters repeat the hyphen on the next line
            continue
        tail_match, head_match = _TAIL.search(text), _HEAD.match(line)
        if tail_match and head_match and not text.endswith(" -"):
            if head_match.group(1).lower() in _SUSPENDED:
                text += " " + line
            elif keep_hyphen(tail_match.group(1), head_match.group(1), vocab):
                text += line
            else:
                text = text[:-1] + line
            continue
        text += " " + line
    return text.replace(_SOFT_HYPHEN, "")
