"""Follow-ups become standalone queries built from the previous turn only."""

from assistant.conversation import is_follow_up, standalone_query

HISTORY = [{"role": "user", "content": "Hoeveel budget heeft VTH in 2026?"}, {"role": "assistant", "content": "…"}]


def test_year_swap() -> None:
    assert standalone_query("En in 2027?", HISTORY) == "Hoeveel budget heeft VTH in 2027?"


def test_prepositional_swap_keeps_the_frame() -> None:
    history = [
        {"role": "user", "content": "Hoeveel budget is er in 2025 voor Opdrachtgeverschap, inkoop en subsidies?"}
    ]
    assert standalone_query("En voor Ruimte?", history) == "Hoeveel budget is er in 2025 voor Ruimte?"


def test_pronoun_follow_up_carries_the_topic_not_the_raw_history() -> None:
    history = [
        {"role": "user", "content": "Komt er een ruimtelijk-economische strategie?"},
        {"role": "assistant", "content": "Ja, in 2025. Dit lange antwoord mag niet in de zoekvraag belanden."},
    ]
    query = standalone_query("Wanneer besluit GS daarover?", history)
    assert "ruimtelijk-economische strategie" in query
    assert "lange antwoord" not in query


def test_standalone_questions_pass_through() -> None:
    question = "Wat is het hoofddoel van thema Ruimte?"
    assert not is_follow_up(question)
    assert standalone_query(question, HISTORY) == question
    assert standalone_query("En in 2027?", []) == "En in 2027?"
