"""``POST /api/v1/ask`` (JSON answer) and ``POST /api/v1/ask/stream`` (server-sent events).

SSE events, in order: ``token`` ``{"text"}`` (repeated), ``replace`` ``{"text"}`` (LLM text that
failed verification), ``citations`` ``[citation, ...]``, ``criteria`` ``[card, ...]`` (only when the
answer has criteria), ``done`` ``{"answer_id", "refused", ...}``; or ``error`` ``{"message"}`` when
answering fails. They are the assistant's typed events written by ``assistant.stream.to_wire``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response, StreamingResponse

from api.deps import AssistantDep, AudienceDep, PublicLimit, StateDep
from api.errors import INTERNAL_ERROR
from api.schemas import AskRequest
from api.security import INTERNAL
from api.state import AppState
from assistant.schema import Answer, AnswerEvent, ErrorEvent, FinalEvent
from assistant.stream import to_wire

log = logging.getLogger("kringwijs.api")
router = APIRouter(prefix="/api/v1", tags=["vragen"])

LLM_UNAVAILABLE = "Het taalmodel is op deze server niet beschikbaar. Stel de vraag zonder 'mode': 'llm'."
LLM_STAFF_ONLY = "Het taalmodel ('mode': 'llm') is alleen voor medewerkers met een API-sleutel."
_CHANNELS = {"widget", "tui", "api"}


def channel_of(request: Request) -> str:
    """Which interface asked: the widget and the TUI say so in a header."""
    value = request.headers.get("x-kringwijs-client", "api").strip().lower()
    return value if value in _CHANNELS else "api"


def allow_mode(body: AskRequest, audience: str) -> None:
    """The LLM costs seconds of both cores per answer: only key holders may ask for it."""
    if body.mode == "llm" and audience != INTERNAL:
        raise HTTPException(403, LLM_STAFF_ONLY)


def for_audience(answer: Answer, audience: str) -> Answer:
    """The public gets the short reason for a fallback, never its details (install hints, errors)."""
    reason = answer.fallback_reason
    if audience == INTERNAL or not reason or ":" not in reason:
        return answer
    return answer.model_copy(update={"fallback_reason": reason.split(":", 1)[0].strip()})


def record(state: AppState, answer: Answer, audience: str, channel: str) -> None:
    """Log the question for gap analysis; a failing log never fails the answer."""
    try:
        state.question_log.log(answer, audience=audience, channel=channel)
    except Exception:
        log.exception("Vraag kon niet in het vragenlog")


@router.post("/ask", response_model=Answer, summary="Stel een vraag (volledig antwoord als JSON)")
def ask(
    body: AskRequest, request: Request, _: PublicLimit, audience: AudienceDep, assistant: AssistantDep, state: StateDep
) -> Response:
    allow_mode(body, audience)
    history = [t.model_dump() for t in body.history]
    with state.answer_gate:
        try:
            answer = assistant.ask(body.question, history, audience=audience, mode=body.mode)
        except ImportError as exc:
            raise HTTPException(503, LLM_UNAVAILABLE) from exc
    record(state, answer, audience, channel_of(request))
    # The Answer is serialised here, once. Returned as a model, a sync endpoint's answer would be
    # validated again in a second thread-pool hop and then serialised: work on every request
    # for a model the assistant has just built. ``response_model`` keeps it in the OpenAPI schema.
    return Response(for_audience(answer, audience).model_dump_json(), media_type="application/json")


def sse(event: AnswerEvent) -> str:
    """One server-sent event; JSON data on a single line."""
    name, data = to_wire(event)
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def stream_events(state: AppState, assistant: Any, body: AskRequest, audience: str, channel: str) -> Iterator[str]:
    """The SSE body; errors become an ``error`` event because the 200 status has already gone out."""
    history = [t.model_dump() for t in body.history]
    final: FinalEvent | None = None
    try:
        with state.answer_gate:
            for event in assistant.stream(body.question, history, audience=audience, mode=body.mode):
                if isinstance(event, FinalEvent):
                    final = event  # sent after the answer gate is free and the question is logged
                else:
                    yield sse(event)
    except ImportError:
        yield sse(ErrorEvent(LLM_UNAVAILABLE))
        return
    except Exception:
        log.exception("Fout tijdens het streamen van een antwoord")
        yield sse(ErrorEvent(INTERNAL_ERROR))
        return
    if final is None:
        yield sse(ErrorEvent(INTERNAL_ERROR))
        return
    record(state, final.answer, audience, channel)
    yield sse(FinalEvent(for_audience(final.answer, audience)))


@router.post(
    "/ask/stream",
    summary="Stel een vraag (antwoord als server-sent events)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def ask_stream(
    body: AskRequest, request: Request, _: PublicLimit, audience: AudienceDep, assistant: AssistantDep, state: StateDep
) -> StreamingResponse:
    allow_mode(body, audience)
    events = stream_events(state, assistant, body, audience, channel_of(request))
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream; charset=utf-8", headers=headers)
