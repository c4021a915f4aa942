"""``GET /api/v1/search``: the ranked passages for a query, filtered by audience."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query

from api.deps import AssistantDep, AudienceDep, PublicLimit, StateDep

router = APIRouter(prefix="/api/v1", tags=["zoeken"])


@router.get("/search", summary="Zoek passages in de kennisbank")
def search(
    _: PublicLimit,
    audience: AudienceDep,
    assistant: AssistantDep,
    state: StateDep,
    # The pattern tells clients what the strip() below enforces: not only whitespace.
    q: Annotated[
        str, Query(min_length=1, max_length=1000, description="Zoekvraag", json_schema_extra={"pattern": r"\S"})
    ],
    k: Annotated[int, Query(ge=1, le=50, description="Aantal resultaten")] = 10,
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid",
) -> dict[str, Any]:
    query = q.strip()
    if not query:
        raise HTTPException(422, "Vul een zoekterm in van 1 tot 1000 tekens.")
    with state.answer_gate:
        results = assistant.search(query, k=k, audience=audience, mode=mode)
    return {"query": query, "k": k, "mode": mode, "results": results}
