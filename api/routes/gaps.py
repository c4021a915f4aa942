"""``/api/v1/gaps``: the knowledge gaps for programme staff (``kringwijs tui --api``).

Questions that were refused or got a thumbs-down, grouped and counted, read from this
server's question log. Internal callers only: the questions are users' own words.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from api.deps import AudienceDep, QuestionLogDep
from api.security import INTERNAL

router = APIRouter(prefix="/api/v1/gaps", tags=["kennislacunes"])

STAFF_ONLY = "Kennislacunes zijn alleen voor medewerkers: gebruik een API-sleutel."


def _staff_only(audience: str) -> None:
    if audience != INTERNAL:
        raise HTTPException(403, STAFF_ONLY)


@router.get("", summary="Vragen die de kennisbank niet kon beantwoorden (intern)")
def gaps(
    audience: AudienceDep, question_log: QuestionLogDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> dict[str, Any]:
    _staff_only(audience)
    items = []
    for gap in question_log.gaps(limit):
        item = asdict(gap)
        item["last_seen"] = gap.last_seen.isoformat() if gap.last_seen else None
        items.append(item)
    return {"enabled": question_log.enabled, "gaps": items}


@router.post("/{group_id}/handled", summary="Markeer een kennislacune als afgehandeld (intern)")
def mark_handled(
    audience: AudienceDep, question_log: QuestionLogDep, group_id: Annotated[str, Path(max_length=200)]
) -> dict[str, Any]:
    _staff_only(audience)
    question_log.mark_handled(group_id)
    return {"handled": True}
