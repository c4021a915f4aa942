"""The answer contract shared by ``kringwijs ask --json``, the API and the evals."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


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
    mode: str = "extractive"
    standalone_query: str = ""
    criteria: list[dict[str, Any]] = Field(default_factory=list)
    fallback_reason: str | None = None
    # Why it came out this way: signals, fitted weights, threshold (assistant.trace).
    trace: dict[str, Any] | None = None
