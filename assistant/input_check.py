"""Does a question have content? Shared by the API (422) and the CLI, so both refuse alike.

A question needs at least one letter or digit: "?", "...", whitespace and zero-width
characters alone are not a question. The API publishes the same pattern in its OpenAPI
schema, so generated clients and fuzzers agree with the server about what is valid.
"""

from __future__ import annotations

import re

# Letters and digits as explicit ranges of literal characters, not ``\\w``: JSON Schema
# patterns are ECMA-262, where ``\\w`` is ASCII-only, while Python's is Unicode; literal
# ranges read the same in every engine (Python here, Rust or JS in clients and fuzzers).
# Covered: ASCII, Latin-1 and Latin Extended, Greek to Hangul (incl. Cyrillic, Arabic, Indic,
# CJK), fullwidth letters and digits. Not covered, so never "content" on their own:
# punctuation, symbols, spaces, zero-width and other format characters, emoji.
_RANGES = [
    ("0", "9"), ("A", "Z"), ("a", "z"), ("\u00aa", "\u00aa"), ("\u00b5", "\u00b5"), ("\u00ba", "\u00ba"),
    ("\u00c0", "\u00d6"), ("\u00d8", "\u00f6"), ("\u00f8", "\u02af"), ("\u0370", "\u037d"),
    ("\u037f", "\u1fff"), ("\u2c00", "\u2dff"), ("\u3040", "\ud7ff"), ("\uf900", "\ufdff"),
    ("\ufe70", "\ufefe"), ("\uff10", "\uff19"), ("\uff21", "\uff3a"), ("\uff41", "\uff5a"),
]  # fmt: skip
# Unanchored, like JSON Schema's "pattern": somewhere a letter or digit.
CONTENT_PATTERN = "[" + "".join(lo if lo == hi else f"{lo}-{hi}" for lo, hi in _RANGES) + "]"
_CONTENT = re.compile(CONTENT_PATTERN)

NO_CONTENT = "Stel een vraag met woorden of cijfers; alleen leestekens of spaties is geen vraag."


def has_content(text: str) -> bool:
    """True when ``text`` holds at least one letter or digit (of the scripts listed above)."""
    return bool(_CONTENT.search(text))
