"""Procurement questions in chat ("Welke circulaire eisen kan ik stellen bij laptops?") get
the matching MVOI criteria as structured cards, grouped by type and ambition level."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from assistant.text import fold

_INTENT = re.compile(
    r"\b(eis|eisen|criteri\w*|aanbested\w*|inkoop\w*|inkopen|inkoper|tender\w*|uitvraag|uitvragen|gunning\w*|"
    r"mvi|mvoi|bestek|contractbepaling\w*|selectiecriteri\w*|geschiktheidseis\w*|requirements?|procure\w*)\b"
)


@lru_cache(maxsize=1)
def _records() -> tuple[Any, ...]:
    from knowledge.records import load_records

    return tuple(load_records())


def criteria_for(question: str, limit: int = 40) -> tuple[list[dict[str, Any]], str | None]:
    """(grouped cards, short Dutch summary) for a procurement question; ([], None) otherwise."""
    from knowledge.criteria_service import filter_criteria, group_cards, match_product_groups, product_groups

    if not _INTENT.search(fold(question)):
        return [], None
    groups = match_product_groups(question)
    if not groups:
        return [], None
    records = _records()
    labels = {slug: label for slug, label, _ in product_groups(records)}
    found = [c for g in groups for c in filter_criteria(records, product_group=g)][:limit]
    if not found:
        return [], None
    names = " en ".join(labels.get(g, g) for g in groups)
    summary = f"Hieronder {len(found)} MVOI-criteria voor {names}, per type en ambitieniveau, met bewijsmiddel en bron."
    return group_cards(found), summary
