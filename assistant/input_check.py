"""Does a question have content? Shared by the API (422) and the CLI, so both refuse alike.

A question needs at least one letter or digit: "?", "...", whitespace and zero-width
characters alone are not a question. Python's own ``\\w`` decides (minus "_"), and the API
publishes the same pattern in its OpenAPI schema, so generated clients and fuzzers agree
with the server about what is valid.
"""

from __future__ import annotations

import re

# Unanchored, like JSON Schema's "pattern": somewhere a letter or digit.
CONTENT_PATTERN = r"[^\W_]"
_CONTENT = re.compile(CONTENT_PATTERN)

NO_CONTENT = "Stel een vraag met woorden of cijfers; alleen leestekens of spaties is geen vraag."


def has_content(text: str) -> bool:
    """True when ``text`` holds at least one letter or digit (any script)."""
    return bool(_CONTENT.search(text))
