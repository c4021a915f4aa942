"""The closed vocabularies every layer shares: answer mode, audience, answer type.

``StrEnum`` members are their string values (``Mode.LLM == "llm"``), so JSON, environment
variables and query strings keep the same spelling while the code gets one definition.
"""

from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    """How an answer is written: quoted from the sources, or by the local LLM (then verified)."""

    EXTRACTIVE = "extractive"
    LLM = "llm"


class Audience(StrEnum):
    """Who asks: the public sees public sources only; staff (an API key) also internal ones."""

    PUBLIC = "public"
    INTERNAL = "internal"


class AnswerType(StrEnum):
    """What kind of answer a question asks for (``assistant.query`` decides)."""

    AMOUNT = "amount"
    COUNT = "count"
    PERCENTAGE = "percentage"
    QUANTITY = "quantity"
    WHEN = "when"
    WHO = "who"
    NAME = "name"
    LIST = "list"
    WHY = "why"
    HOW = "how"
    WHAT = "what"
