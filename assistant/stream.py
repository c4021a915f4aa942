"""Building and carrying the typed answer stream (events in :mod:`assistant.schema`).

The extractive and the LLM answerer both end with :func:`closing`; the API writes the events
as server-sent events with :func:`to_wire` and the remote TUI backend reads them back with
:func:`from_wire`, so one stream of the same types runs from the assistant to every screen.

Wire format (what ``api/static/widget.js`` reads), one JSON object per event::

    token {"text"} | replace {"text"} | citations [citation, ...] | criteria [group, ...]
    | done {"answer_id", "refused", ...} | error {"message"}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from assistant.schema import (
    Answer,
    AnswerEvent,
    Citation,
    CitationsEvent,
    CriteriaEvent,
    ErrorEvent,
    FinalEvent,
    ReplaceEvent,
    TokenEvent,
)

# Fields of the Answer that travel in ``done`` (the text, citations and criteria have their own events).
DONE_FIELDS = ("answer_id", "refused", "question", "standalone_query", "language", "mode", "fallback_reason")
BROKEN_OFF = "Het antwoord van de server brak onverwacht af."


def pieces(text: str, size: int = 24) -> Iterator[str]:
    """Word groups of a finished text.

    The extractive answer exists at once; streaming it word-group-wise keeps one code path for
    clients that also handle the token-by-token LLM mode."""
    words = text.split(" ")
    for i in range(0, len(words), size):
        chunk = " ".join(words[i : i + size])
        yield chunk if i + size >= len(words) else chunk + " "


def closing(answer: Answer) -> Iterator[AnswerEvent]:
    """What follows the text of every answer: its citations, its criteria cards, the answer."""
    yield CitationsEvent(list(answer.citations))
    if answer.criteria:
        yield CriteriaEvent(list(answer.criteria))
    yield FinalEvent(answer)


def answer_events(answer: Answer) -> Iterator[AnswerEvent]:
    """A finished answer as a stream: its text in pieces, then :func:`closing`."""
    for piece in pieces(answer.answer):
        yield TokenEvent(piece)
    yield from closing(answer)


def final_answer(events: Iterable[AnswerEvent]) -> Answer | None:
    """Drain a stream; the answer of its ``FinalEvent`` (None when there is none)."""
    return next((e.answer for e in events if isinstance(e, FinalEvent)), None)


# --- server-sent events ------------------------------------------------------------------------
def to_wire(event: AnswerEvent) -> tuple[str, Any]:
    """(SSE event name, JSON-able data) of one event."""
    match event:
        case TokenEvent(text) | ReplaceEvent(text):
            return event.kind, {"text": text}
        case CitationsEvent(citations):
            return "citations", [c.model_dump() for c in citations]
        case CriteriaEvent(criteria):
            return "criteria", criteria
        case FinalEvent(answer):
            return "done", {**{k: getattr(answer, k) for k in DONE_FIELDS}, "timings_ms": answer.timings_ms}
        case ErrorEvent(message):
            return "error", {"message": message}
    raise TypeError(f"not an answer event: {event!r}")


def from_wire(pairs: Iterable[tuple[str, Any]]) -> Iterator[AnswerEvent]:
    """The events again from (SSE name, data) pairs, the final ``Answer`` rebuilt from them.

    Ends with a ``FinalEvent`` or an ``ErrorEvent`` (also when the stream breaks off)."""
    text: list[str] = []
    citations: list[Citation] = []
    criteria: list[dict[str, Any]] = []
    for name, data in pairs:
        if name == "token":
            text.append(data["text"])
            yield TokenEvent(data["text"])
        elif name == "replace":
            text = [data["text"]]
            yield ReplaceEvent(data["text"])
        elif name == "citations":
            citations = [Citation(**c) for c in data]
            yield CitationsEvent(citations)
        elif name == "criteria":
            criteria = data
            yield CriteriaEvent(criteria)
        elif name == "error":
            yield ErrorEvent(data.get("message") or "De server kon de vraag niet beantwoorden.")
            return
        elif name == "done":
            fields = {k: data[k] for k in ("question", "refused", "answer_id") if k in data}
            extra = {k: data[k] for k in ("language", "mode", "standalone_query", "fallback_reason") if data.get(k)}
            answer = Answer(
                **fields,
                **extra,
                answer="".join(text),
                citations=citations,
                criteria=criteria,
                timings_ms=data.get("timings_ms") or {},
            )
            yield FinalEvent(answer)
            return
    yield ErrorEvent(BROKEN_OFF)
