"""The answer contract shared by ``kringwijs ask --json``, the API and the evals, and the typed
events of an answer stream that the CLI, the API (SSE), the TUI and the remote backend consume."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from kringwijs.types import Mode


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    section: str
    page: int | None
    text: str
    score: float
    chunk_id: str
    kind: str = "text"
    # The record's status line and check date, so a UI can show them beside the quote.
    notice: str | None = None
    checked: str | None = None


class Message(BaseModel):
    role: str = Field(pattern="^(user|assistant)$")
    content: str


class Answer(BaseModel):
    question: str
    answer: str
    refused: bool
    citations: list[Citation] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    answer_id: str = ""
    language: str = "nl"
    mode: Mode = Mode.EXTRACTIVE
    standalone_query: str = ""
    criteria: list[dict[str, Any]] = Field(default_factory=list)
    fallback_reason: str | None = None
    # Why it came out this way: signals, fitted weights, threshold (assistant.trace).
    trace: dict[str, Any] | None = None


# --- the answer stream -------------------------------------------------------------------------
# Order: TokenEvent*, ReplaceEvent?, CitationsEvent, CriteriaEvent?, FinalEvent; or an ErrorEvent
# where answering failed (only interfaces emit it; the assistant raises).


@dataclass(frozen=True)
class _TextEvent:
    text: str


@dataclass(frozen=True)
class TokenEvent(_TextEvent):
    """A piece of answer text, to append to what is shown."""

    kind: ClassVar[str] = "token"


@dataclass(frozen=True)
class ReplaceEvent(_TextEvent):
    """The streamed text is NOT the answer (LLM text failed verification): show this instead."""

    kind: ClassVar[str] = "replace"


@dataclass(frozen=True)
class CitationsEvent:
    citations: list[Citation]
    kind: ClassVar[str] = "citations"


@dataclass(frozen=True)
class CriteriaEvent:
    """Criterion cards (grouped as in ``Answer.criteria``); only when the answer has any."""

    criteria: list[dict[str, Any]]
    kind: ClassVar[str] = "criteria"


@dataclass(frozen=True)
class FinalEvent:
    """Always last on success; ``answer.answer`` is the text to keep."""

    answer: Answer
    kind: ClassVar[str] = "final"


@dataclass(frozen=True)
class ErrorEvent:
    """A Dutch message to show instead of an answer."""

    message: str
    kind: ClassVar[str] = "error"


AnswerEvent = TokenEvent | ReplaceEvent | CitationsEvent | CriteriaEvent | FinalEvent | ErrorEvent
