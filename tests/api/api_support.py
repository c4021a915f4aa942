"""Constants, test documents and helpers shared by the API tests (imported by conftest too)."""

from __future__ import annotations

import json
from typing import Any

from kringwijs.settings import Settings

INTERNAL_KEY = "test-internal-key-7f3a"
ALLOWED_ORIGIN = "http://widget-host.test"
SECRET_WORD = "Zilverreiger"
SECRET_AMOUNT = "987.654"
SECRET_SENTENCE = (
    f"De vertrouwelijke reservering voor project {SECRET_WORD} bedraagt € {SECRET_AMOUNT} en blijft tot 2027 geheim."
)
SECRET_QUESTION = f"Hoeveel bedraagt de reservering voor project {SECRET_WORD}?"
XSS_QUESTION = "Wat verkoopt kringloopwinkel Ooievaar?"

INTERNAL_DOC = f"""---
title: Interne notitie reserveringen
doc_id: interne-notitie-reserveringen
audience: internal
doc_type: notitie
---
# Interne notitie reserveringen

## Project {SECRET_WORD}

{SECRET_SENTENCE}

Het project {SECRET_WORD} wordt intern besproken in het programmateam.
"""

# The two payloads sit on separate lines: Markdown emphasis stripping would otherwise
# read "__xss=1 ... window.__" as bold and eat the underscores.
XSS_DOC = """---
title: Testdocument kringloopwinkels
doc_id: testdocument-kringloop-ooievaar
doc_type: document
---
# Kringloopwinkels in de regio

## Kringloopwinkel Ooievaar

Kringloopwinkel Ooievaar in Amersfoort verkoopt gebruikte meubels en kleding <img src=x onerror="window.__xss=1"> tegen lage prijzen.
Kringloopwinkel Ooievaar verkoopt ook gerepareerde fietsen <script>window.__xss=2</script> en tweedehands boeken.
"""


def api_settings(base: Settings, **update: object) -> Settings:
    """Test settings: generous rate limit unless a test asks otherwise, one extra origin, one key."""
    values = {
        "rate_limit_per_minute": 10_000,
        "cors_origins": [ALLOWED_ORIGIN],
        "internal_api_keys": [INTERNAL_KEY],
    }
    values.update(update)
    return base.model_copy(update=values)


def parse_sse(body: str) -> list[tuple[str, Any]]:
    """``[(event, data)]``; asserts every block is exactly one ``event:`` and one ``data:`` line."""
    assert body.endswith("\n\n"), "an SSE stream ends with a blank line"
    events = []
    for block in body.split("\n\n")[:-1]:
        lines = block.split("\n")
        assert len(lines) == 2, f"unexpected SSE block: {block!r}"
        assert lines[0].startswith("event: ") and lines[1].startswith("data: "), block
        events.append((lines[0][len("event: ") :], json.loads(lines[1][len("data: ") :])))
    return events
