"""``POST /api/v1/ask`` (JSON answer) and ``POST /api/v1/ask/stream`` (server-sent events).

SSE events, in order: ``token`` ``{"text"}`` (repeated), ``citations`` ``[citation, ...]``,
``criteria`` ``[card, ...]`` (only when the answer has criteria), ``done``
``{"answer_id", "refused", ...}``; or ``error`` ``{"message"}`` when answering fails.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import StreamingResponse

from api.deps import AssistantDep, AudienceDep, PublicLimit, StateDep
from api.errors import INTERNAL_ERROR
from api.schemas import AskRequest
from api.state import AppState
from assistant.schema import Answer

log = logging.getLogger("kringwijs.api")
router = APIRouter(prefix="/api/v1", tags=["vragen"])

LLM_UNAVAILABLE = "Het taalmodel is op deze server niet beschikbaar. Stel de vraag zonder 'mode': 'llm'."
_CHANNELS = {"widget", "tui", "api"}


def channel_of(request: Request) -> str:
    """Which interface asked: the widget and the TUI say so in a header."""
    value = request.headers.get("x-kringwijs-client", "api").strip().lower()
    return value if value in _CHANNELS else "api"


def record(state: AppState, answer: Answer, audience: str, channel: str) -> None:
    """Log the question for gap analysis; a failing log never fails the answer."""
    try:
        state.question_log.log(answer, audience=audience, channel=channel)
    except Exception:
        log.exception("Vraag kon niet in het vragenlog")


@router.post("/ask", response_model=Answer, summary="Stel een vraag (volledig antwoord als JSON)")
def ask(
    body: AskRequest, request: Request, _: PublicLimit, audience: AudienceDep, assistant: AssistantDep, state: StateDep
) -> Answer:
    history = [t.model_dump() for t in body.history]
    with state.answer_gate:
        try:
            answer = assistant.ask(body.question, history, audience=audience, mode=body.mode)
        except ImportError as exc:
            raise HTTPException(503, LLM_UNAVAILABLE) from exc
    record(state, answer, audience, channel_of(request))
    return answer


def sse(event: str, data: Any) -> str:
    """One server-sent event; JSON data on a single line."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def done_payload(answer: Answer) -> dict[str, Any]:
    return {
        "answer_id": answer.answer_id,
        "refused": answer.refused,
        "question": answer.question,
        "standalone_query": answer.standalone_query,
        "language": answer.language,
        "mode": answer.mode,
        "fallback_reason": answer.fallback_reason,
        "timings_ms": answer.timings_ms,
    }


def stream_events(state: AppState, assistant: Any, body: AskRequest, audience: str, channel: str) -> Iterator[str]:
    """The SSE body; errors become an ``error`` event because the 200 status has already gone out."""
    history = [t.model_dump() for t in body.history]
    answer: Answer | None = None
    try:
        with state.answer_gate:
            for event in assistant.stream(body.question, history, audience=audience, mode=body.mode):
                if event.get("event") == "token":
                    yield sse("token", {"text": event["text"]})
                elif event.get("event") == "replace":
                    # LLM text failed verification: the client must show the verified text instead.
                    yield sse("replace", {"text": event["text"]})
                elif event.get("event") == "final":
                    answer = event["answer"]
    except ImportError:
        yield sse("error", {"message": LLM_UNAVAILABLE})
        return
    except Exception:
        log.exception("Fout tijdens het streamen van een antwoord")
        yield sse("error", {"message": INTERNAL_ERROR})
        return
    if answer is None:
        yield sse("error", {"message": INTERNAL_ERROR})
        return
    yield sse("citations", [c.model_dump() for c in answer.citations])
    if answer.criteria:
        yield sse("criteria", answer.criteria)
    record(state, answer, audience, channel)
    yield sse("done", done_payload(answer))


@router.post(
    "/ask/stream",
    summary="Stel een vraag (antwoord als server-sent events)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def ask_stream(
    body: AskRequest, request: Request, _: PublicLimit, audience: AudienceDep, assistant: AssistantDep, state: StateDep
) -> StreamingResponse:
    events = stream_events(state, assistant, body, audience, channel_of(request))
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream; charset=utf-8", headers=headers)
