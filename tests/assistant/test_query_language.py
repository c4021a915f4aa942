"""Which language a question is in: it picks the answer's language and a fitted signal."""

from __future__ import annotations

import pytest

from assistant.query import analyse, detect_language


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("totaal budget 2025?", "nl"),  # "budget" is as Dutch as it is English
        ("Hoeveel budget heeft VTH in 2026?", "nl"),
        ("subsidie circulair bouwen", "nl"),
        ("What is the budget for VTH in 2026?", "en"),
        ("How much money goes to the province's circular programme?", "en"),
    ],
)
def test_detect_language(question: str, language: str) -> None:
    assert detect_language(question) == language


@pytest.mark.parametrize(
    ("question", "bare"),
    [
        ("social return bij tonercartridges", True),
        ("moet ik een toelichting geven op de verpakking?", True),
        ("Wat is social return?", False),
        ("hoeveel subsidie krijg ik", False),
        ("which label applies to cloud services", False),
    ],
)
def test_a_question_without_question_word_is_bare(question: str, bare: bool) -> None:
    assert analyse(question).bare is bare
