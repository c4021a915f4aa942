"""Request bodies of the API (responses reuse ``assistant.schema.Answer`` and plain dicts)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class Turn(BaseModel):
    """One earlier turn of the conversation, as the widget keeps it."""

    role: Literal["user", "assistant"]
    content: Annotated[str, StringConstraints(max_length=4000)]


class AskRequest(BaseModel):
    """A question, with the conversation so far for follow-ups."""

    model_config = ConfigDict(extra="forbid")

    question: Question
    history: list[Turn] = Field(default_factory=list, max_length=40)
    mode: Literal["extractive", "llm"] | None = None


class FeedbackRequest(BaseModel):
    """Thumbs up or down on an answer, with an optional comment."""

    model_config = ConfigDict(extra="forbid")

    answer_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    rating: Literal["up", "down"]
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None


class ExportRequest(BaseModel):
    """Criterion ids to export as a Word or Markdown document."""

    model_config = ConfigDict(extra="forbid")

    ids: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] = Field(min_length=1, max_length=500)
    format: Literal["docx", "md"] = "docx"
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None = None
