"""The post-generation checks, as pure functions: no model, no index (so not marked ``llm``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.llm_answer import _complete_sentences
from assistant.llm_backends import parse_sse
from assistant.llm_verify import citation_numbers, is_model_refusal, names_in, numbers_in, verify

PASSAGES = [
    "(Financiën) VTH — Budget 2025: € 300.000; Budget 2026 en 2027: € 400.000",
    "(Looptijd en budget) Er is een budget van € 2 miljoen per jaar en in 2026 en 2027 € 2,5 miljoen. "
    "Het programmateam werkt samen met de ROM en Gedeputeerde Staten.",
    "(Doelen) In 2030 gebruiken we 50% minder primaire grondstoffen; er komen twee pilots.",
]


@pytest.mark.parametrize(
    "answer",
    [
        "In 2026 gaat er € 400.000 naar VTH [1].",
        "In 2026 gaat er 400.000 euro naar VTH [1].",
        "In 2026 gaat er 4 ton naar VTH [1].",
        "In 2026 is er jaarlijks € 2.500.000 beschikbaar [2].",
        "The annual budget in 2026 is 2.5 million euros [2].",
        "In 2030 gebruiken we 50 procent minder grondstoffen [3].",
        "Er komen 2 pilots [3].",
        "Het programmateam werkt samen met de ROM [2]. Ook Gedeputeerde Staten is betrokken [2].",
        "VTH krijgt € 400.000. [1] Daarnaast is er € 2 miljoen per jaar [2].",
        "1. VTH krijgt € 400.000 [1]\n2. Het jaarbudget is 2,5 miljoen [2]",
        "VTH krijgt € 400.000 in 2027 [Bron 1].",
        "VTH krijgt € 400.000 in 2026 en 2027 [1, 2].",
    ],
)
def test_accepts_answers_whose_facts_are_in_the_cited_passages(answer: str) -> None:
    result = verify(answer, PASSAGES)
    assert result.ok, result.problems
    assert result.reason is None


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("In 2026 gaat er € 450.000 naar VTH [1].", "450.000"),  # invented amount
        ("In 2026 gaat er 5 ton naar VTH [1].", "5 ton"),
        ("In 2028 gaat er € 400.000 naar VTH [1].", "2028"),  # invented year
        ("In 2030 gebruiken we 60% minder grondstoffen [3].", "60%"),  # invented percentage
        ("Het jaarbudget is 2,5 miljoen [1].", "2,5 miljoen"),  # true fact, wrong passage cited
        ("Het jaarbudget is 2,5 miljoen [2]. VTH krijgt € 400.000 [2].", "400.000"),  # per-sentence check
        ("Er komen drie pilots [3].", "drie"),  # spelled-out number
        ("Het programmateam werkt samen met Rijkswaterstaat [2].", "Rijkswaterstaat"),  # unknown organisation
        ("De provincie Gelderland werkt samen met de ROM [2].", "Gelderland"),
        ("Het budget komt van de EU [1].", "EU"),  # unknown acronym
        ("In 2026 gaat er € 400.000 naar VTH [4].", "[4]"),  # citation number outside the evidence
        ("In 2026 gaat er € 400.000 naar VTH [0].", "[0]"),
        ("In 2026 gaat er € 400.000 naar VTH.", "geen geldige bronverwijzing"),  # no citation at all
    ],
)
def test_rejects_invented_or_unsupported_facts(answer: str, problem: str) -> None:
    result = verify(answer, PASSAGES)
    assert not result.ok
    assert problem in result.reason


def test_wrong_citation_fails_even_when_another_passage_would_support_it() -> None:
    result = verify("VTH krijgt € 400.000 [3].", PASSAGES)
    assert not result.ok
    assert "400.000" in result.reason


def test_numbers_are_compared_by_value() -> None:
    values = {v for _, v, _ in numbers_in("€ 400.000, 400,000, 4 ton, 2,5 miljoen, 2.5 million, 3,2 FTE, 50%")}
    assert values == {Decimal(400000), Decimal(2500000), Decimal("3.2"), Decimal(50)}
    assert [p for _, _, p in numbers_in("50% en 50")] == [True, False]


def test_number_like_tokens_that_are_not_facts_are_ignored() -> None:
    found = [w for w, _, _ in numbers_in("ten laste van het budget, in acht nemen, Q4 en CO2-uitstoot")]
    assert found == []


def test_sentence_openers_are_not_names_but_acronyms_always_are() -> None:
    assert names_in("Dat staat hier. Daarnaast werkt VTH met Rijkswaterstaat.") == ["VTH", "Rijkswaterstaat"]


def test_citation_markers() -> None:
    assert citation_numbers("a [1] b [2, 3] c [Bron 4] d [x]") == [1, 2, 3, 4]


def test_model_refusal_is_only_a_refusal_without_citations() -> None:
    assert is_model_refusal("Dat staat niet in mijn bronnen.")
    assert is_model_refusal("That is not in my sources.")
    assert not is_model_refusal("VTH krijgt € 400.000 [1]. Meer staat niet in mijn bronnen.")


def test_a_sentence_cut_by_the_token_limit_is_dropped() -> None:
    assert _complete_sentences("VTH krijgt € 400.000 [1]. In 2027 gaat er € 4") == "VTH krijgt € 400.000 [1]."
    assert _complete_sentences("Het totaal is € 2.500.000") == "Het totaal is € 2.500.000"


def test_parse_sse_reads_openai_chunks() -> None:
    lines = [
        ": ping",
        'data: {"choices": [{"delta": {"role": "assistant"}}]}',
        "",
        'data: {"choices": [{"delta": {"content": "VTH "}}]}',
        'data: {"choices": [{"delta": {"content": "krijgt"}}]}',
        "data: [DONE]",
        'data: {"choices": [{"delta": {"content": "na het einde"}}]}',
    ]
    assert "".join(parse_sse(iter(lines))) == "VTH krijgt"


FOOTNOTE = "Bijdrage klimaat is € 80.000 in 2025, € 65.000 in 2026 en € 65.000 in 2027."


@pytest.mark.parametrize(
    ("answer", "years", "ok"),
    [
        ("De bijdrage klimaat is € 80.000 in 2026 [1].", None, False),  # 2025's figure given for 2026
        ("De bijdrage klimaat is € 80.000 [1].", ["2026"], False),  # the question asked for 2026
        ("De bijdrage klimaat is € 65.000 in 2026 [1].", None, True),
        ("De bijdrage klimaat is € 80.000 in 2025 [1].", ["2026"], True),  # the sentence's own year wins
        ("De bijdrage klimaat was € 80.000 [1].", None, True),  # no year claimed: nothing to bind
    ],
)
def test_a_figure_must_belong_to_the_year_it_is_given_for(answer: str, years: list[str] | None, ok: bool) -> None:
    result = verify(answer, [FOOTNOTE], years)
    assert result.ok is ok, result.problems
    if not ok:
        assert "ander jaar" in result.problems[0]


def test_a_table_row_binds_its_figure_to_all_its_years() -> None:
    row = "VTH — Budget 2026 en 2027: € 400.000"
    assert verify("In 2027 krijgt VTH € 400.000 [1].", [row]).ok
    assert not verify("In 2025 krijgt VTH € 400.000 [1].", [row]).ok
