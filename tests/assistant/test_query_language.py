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


@pytest.mark.parametrize(
    ("question", "entity"),
    [
        ("Welke projecttypen kent LIFE, zoals SAP's?", "SAP"),
        ("What did RVO's page on circular economy say?", "RVO"),
        ("Wat doet de RUD’s afdeling handhaving?", "RUD"),
    ],
)
def test_a_possessive_s_is_not_part_of_a_name(question: str, entity: str) -> None:
    entities = analyse(question).entities
    assert entity in entities
    assert not any(e.endswith(("'s", "’s")) for e in entities)


def test_an_english_place_counts_in_its_dutch_form() -> None:
    from assistant.evidence import facts_in

    passage = "In Nederland geldt sinds 2023 een UPV voor textiel."
    assert facts_in(["Netherlands", "EPR", "2023"], passage) == []
    assert facts_in(["Germany"], passage) == ["Germany"]
