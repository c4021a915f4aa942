"""The audience rule in one place: what each audience may see, as a list and as a Chroma filter.

The index reader (per-audience vocabulary) and the retriever (every query) both apply it.
"""

from __future__ import annotations

from typing import Any

from kringwijs.types import Audience


def visible_audiences(audience: str) -> list[str]:
    # Public callers only ever see public documents; internal callers see both.
    return (
        [Audience.PUBLIC.value, Audience.INTERNAL.value] if audience == Audience.INTERNAL else [Audience.PUBLIC.value]
    )


def audience_filter(audience: str) -> dict[str, Any]:
    """The audience rule as a Chroma ``where`` clause (the retriever applies it in Python too)."""
    visible = visible_audiences(audience)
    return {"audience": {"$in": visible}} if len(visible) > 1 else {"audience": visible[0]}
