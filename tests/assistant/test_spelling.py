"""Misspelt words and missing accents are read as the word the sources use; real subjects the
sources do not cover are left alone, so the refusal model still sees them."""

from __future__ import annotations

import pytest

from assistant.spelling import correct


@pytest.fixture(scope="module")
def lexicon(assistant):
    return assistant.reader.vocabulary("public")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("volawssenheidsmeting", "volwassenheidsmeting"),  # two letters swapped
        ("subsidei", "subsidie"),
        ("aanbestedng", "aanbesteding"),  # a letter left out
        ("coordinator", "coördinator"),  # no accent typed
        ("hoevel", "hoeveel"),  # the question word decides the answer type
    ],
)
def test_a_misspelt_word_is_read_as_the_sources_word(lexicon, typed: str, meant: str) -> None:
    question = f"wat weet je over de {typed} van de provincie"
    corrected, pairs = correct(question, lexicon)
    assert pairs == [(typed, meant)]
    assert corrected == question.replace(typed, meant)


@pytest.mark.parametrize(
    "question",
    [
        "wie wint de verkiezingen voor provinciale staten",  # a real subject the sources lack
        "wat vindt de provincie van kernenergie",  # a new compound of known words
        "Hoeveel subsidie geeft de ROM voor circulaire projecten?",  # all known words, an acronym
        "welke zonnepanelen zijn het best",
    ],
)
def test_known_words_and_real_unknown_subjects_stay_as_typed(lexicon, question: str) -> None:
    corrected, pairs = correct(question, lexicon)
    assert pairs == []
    assert corrected == question


def test_the_answer_and_its_trace_use_the_corrected_question(assistant) -> None:
    typed = assistant.ask("wat kost de circulaire volawssenheidsmeting van route circulair")
    right = assistant.ask("wat kost de circulaire volwassenheidsmeting van route circulair")
    assert typed.trace["spelling"] == [["volawssenheidsmeting", "volwassenheidsmeting"]]
    assert typed.answer == right.answer
    assert typed.refused == right.refused


def test_english_questions_are_not_corrected_against_dutch_words(assistant) -> None:
    answer = assistant.ask("Which subsidies support circular construction projects?")
    assert answer.trace["spelling"] == []
