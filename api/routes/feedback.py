"""``POST /api/v1/feedback``: thumbs up/down and an optional comment on an answer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from api.deps import PublicLimit, QuestionLogDep
from api.schemas import FeedbackRequest

router = APIRouter(prefix="/api/v1", tags=["feedback"])

UNKNOWN_ANSWER = "Dit antwoord is onbekend of te oud om te beoordelen."


@router.post("/feedback", summary="Beoordeel een antwoord")
def feedback(body: FeedbackRequest, _: PublicLimit, question_log: QuestionLogDep) -> dict[str, Any]:
    if not question_log.enabled:
        # Logging is off on this server: accept politely, keep nothing.
        return {"recorded": False, "message": "Bedankt voor uw beoordeling."}
    rating = 1 if body.rating == "up" else -1
    if not question_log.feedback(body.answer_id, rating, body.comment):
        raise HTTPException(404, UNKNOWN_ANSWER)
    return {"recorded": True, "message": "Bedankt voor uw beoordeling."}
