"""Request bodies and the one error body of the API (answers reuse ``assistant.schema.Answer``)."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from assistant.input_check import CONTENT_PATTERN, NO_CONTENT, has_content
from kringwijs.types import Mode


def _question(text: str) -> str:
    if not has_content(text):
        raise PydanticCustomError("no_content", NO_CONTENT)
    return text


def _one_line(text: str) -> str | None:
    """A title for a document: control characters (NUL, ESC, vertical tab, ...) cannot go
    into DOCX XML or a Markdown heading, so they are dropped; tabs and newlines become spaces."""
    kept = []
    for c in text:
        if c in "\t\n\r\x0b\x0c\x85\u2028\u2029":
            kept.append(" ")
        elif unicodedata.category(c) not in ("Cc", "Cs") and c not in "\ufffe\uffff":
            kept.append(c)
    return " ".join("".join(kept).split()) or None


# Length is counted after stripping; the pattern (at least one letter or digit) is published in
# the OpenAPI schema and checked in Python with the same regex engine (assistant.input_check).
Question = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1000),
    AfterValidator(_question),
    Field(json_schema_extra={"pattern": CONTENT_PATTERN}),
]
MAX_HISTORY = 20


class Turn(BaseModel):
    """One earlier turn of the conversation, as the widget keeps it."""

    role: Literal["user", "assistant"]
    content: Annotated[str, StringConstraints(max_length=2000)]


class AskRequest(BaseModel):
    """A question, with the conversation so far for follow-ups (only recent turns matter)."""

    model_config = ConfigDict(extra="forbid")

    question: Question
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY)
    mode: Mode | None = Field(default=None, description="'llm' alleen met een API-sleutel (medewerkers).")


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
    # Control characters are removed, not refused: a title that is nothing but them gets the default.
    title: Annotated[str, StringConstraints(max_length=200), AfterValidator(_one_line)] | None = None


class FieldError(BaseModel):
    field: str = Field(description="Welk veld, bijv. 'question' of 'history.0.role'.")
    message: str = Field(description="Wat er mis is, in het Nederlands.")


class ErrorBody(BaseModel):
    """Every error the API returns (400, 401, 403, 404, 405, 413, 422, 429, 500, 503)."""

    detail: str = Field(description="Uitleg in het Nederlands.")
    errors: list[FieldError] | None = Field(default=None, description="Per veld, alleen bij 422.")
