"""Procurement questions in chat ("Welke circulaire eisen kan ik stellen bij laptops?") get
the matching MVOI criteria as structured cards, grouped by type and ambition level."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.text import fold
from knowledge.records import cached_records

_INTENT = re.compile(
    r"\b(eis|eisen|criteri\w*|aanbested\w*|inkoop\w*|inkopen|inkoper|tender\w*|uitvraag|uitvragen|gunning\w*|"
    r"mvi|mvoi|bestek|contractbepaling\w*|selectiecriteri\w*|geschiktheidseis\w*|requirements?|procure\w*)\b"
)


def criteria_for(
    question: str, limit: int = 40, *, latest: str = "", knowledge_dir: Path | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """(grouped cards, short Dutch summary) for a procurement question; ([], None) otherwise.

    ``knowledge_dir`` is ``settings.knowledge_dir`` (None: the bundled records).

    ``latest`` is the user's own last message when ``question`` is a rewritten follow-up: a
    product group named there replaces the earlier one ("En voor meubilair?" after laptops)."""
    from knowledge.criteria_service import filter_criteria, group_cards, match_product_groups, product_groups

    if not _INTENT.search(fold(question)):
        return [], None
    groups = match_product_groups(latest) or match_product_groups(question)
    if not groups:
        return [], None
    records = cached_records(knowledge_dir)
    labels = {slug: label for slug, label, _ in product_groups(records)}
    found = [c for g in groups for c in filter_criteria(records, product_group=g)][:limit]
    if not found:
        return [], None
    names = " en ".join(labels.get(g, g) for g in groups)
    summary = f"Hieronder {len(found)} MVOI-criteria voor {names}, per type en ambitieniveau, met bewijsmiddel en bron."
    return group_cards(found), summary


def matching_ids(hits: list[Any], cards: list[dict[str, Any]], limit: int = 3) -> list[str]:
    """Criteria of the asked product groups that retrieval ranked for the question itself:
    "voedselverspilling bij catering" finds the food-waste criterion, not the packaging one."""
    ids = {card["id"] for group in cards for card in group["cards"]}
    found: list[str] = []
    for hit in hits:
        rid = hit.meta.get("record_id")
        if rid in ids and rid not in found:
            found.append(str(rid))
    return found[:limit]


def lead_with(cards: list[dict[str, Any]], ids: list[str]) -> list[dict[str, Any]]:
    """The grouped cards with the best-matching criteria first, in a group of their own."""
    if not ids:
        return cards
    by_id = {card["id"]: card for group in cards for card in group["cards"]}
    best = {"criterion_type": "best", "type_label": "Past het best bij uw vraag", "cards": [by_id[i] for i in ids]}
    rest = [{**g, "cards": [c for c in g["cards"] if c["id"] not in ids]} for g in cards]
    return [best, *[g for g in rest if g["cards"]]]


def no_match_text(cards: list[dict[str, Any]]) -> str:
    """A procurement question whose need no criterion addresses: say so, then offer the group."""
    labels = list(dict.fromkeys(card["product_group_label"] for group in cards for card in group["cards"]))
    count = sum(len(group["cards"]) for group in cards)
    names = " en ".join(labels)
    return (
        f"Geen van de criteria voor {names} in mijn bronnen gaat over wat u vraagt. "
        f"Wel staan hieronder alle {count} MVOI-criteria voor {names}, per type en ambitieniveau."
    )
