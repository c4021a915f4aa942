"""The LLM answer mode's event contract and fallbacks, with scripted backends (no model needed).

These use the real index (session fixture) but replace the model by a backend that
streams fixed text, so they run in every test run, also without llama-cpp-python.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assistant.schema import AnswerEvent
from assistant.service import Assistant
from kringwijs.settings import Settings

QUESTION = "Hoeveel geld gaat er in 2026 naar VTH?"


class Scripted:
    """A backend that streams a fixed answer and records that it was called."""

    name = "scripted"

    def __init__(self, text: str) -> None:
        self.text = text
        self.calls = 0

    def stream_chat(self, messages: list[dict[str, str]], *, max_tokens: int) -> Iterator[str]:
        self.calls += 1
        self.messages = messages
        for word in self.text.split(" "):
            yield word + " "


def _run(settings: Settings, embedder: Any, backend: Any, question: str = QUESTION) -> list[AnswerEvent]:
    assistant = Assistant(settings.model_copy(update={"mode": "llm"}), embedder=embedder)
    assistant._llm = backend
    return list(assistant.stream(question, [], mode="llm"))


def test_verified_answer_is_kept_with_its_citations(settings, embedder, built_index) -> None:
    backend = Scripted("In 2026 gaat er € 400.000 naar VTH [1].")
    events = _run(settings, embedder, backend)
    final = events[-1].answer
    assert [e.kind for e in events if e.kind != "token"] == ["citations", "final"]
    assert final.mode == "llm" and final.fallback_reason is None and not final.refused
    assert final.answer == "In 2026 gaat er € 400.000 naar VTH [1]."
    assert [c.n for c in final.citations] == [1]
    assert "400.000" in final.citations[0].text
    assert {"first_token", "total"} <= set(final.timings_ms)


def test_prompt_holds_numbered_passages_and_the_question(settings, embedder, built_index) -> None:
    backend = Scripted("In 2026 gaat er € 400.000 naar VTH [1].")
    _run(settings, embedder, backend)
    user = backend.messages[-1]["content"]
    assert user.startswith("Bronnen:\n[1] ")
    assert "400.000" in user and user.rstrip().endswith(f"Vraag: {QUESTION}")
    assert len(user) < 1800  # a few hundred tokens: time-to-first-token stays low


def test_invented_figure_is_replaced_by_the_extractive_answer(settings, embedder, built_index) -> None:
    events = _run(settings, embedder, Scripted("In 2026 gaat er € 450.000 naar VTH [1]."))
    kinds = [e.kind for e in events if e.kind != "token"]
    assert kinds == ["replace", "citations", "final"]
    final = events[-1].answer
    assert next(e for e in events if e.kind == "replace").text == final.answer
    assert "450.000" not in final.answer and "400.000" in final.answer
    assert "450.000" in final.fallback_reason
    assert final.citations


def test_unknown_citation_number_falls_back(settings, embedder, built_index) -> None:
    final = _run(settings, embedder, Scripted("In 2026 gaat er € 400.000 naar VTH [9]."))[-1].answer
    assert "[9]" in final.fallback_reason and "[9]" not in final.answer


def test_refusal_is_decided_in_code_without_calling_the_model(settings, embedder, built_index) -> None:
    backend = Scripted("Gelderland heeft € 400.000 [1].")
    events = _run(settings, embedder, backend, "Hoeveel budget heeft Gelderland?")
    final = events[-1].answer
    assert backend.calls == 0
    assert final.refused and final.mode == "llm" and not final.citations
    assert "Gelderland" in final.fallback_reason


def test_model_refusal_with_evidence_present_quotes_the_evidence(settings, embedder, built_index) -> None:
    final = _run(settings, embedder, Scripted("Dat staat niet in mijn bronnen."))[-1].answer
    assert not final.refused and "400.000" in final.answer
    assert final.fallback_reason == "taalmodel vond het antwoord niet in de bronnen"


def test_unreachable_server_falls_back_with_a_reason(settings, embedder, built_index) -> None:
    down = settings.model_copy(update={"llm_backend": "openai", "llm_base_url": "http://127.0.0.1:9/v1"})
    assistant = Assistant(down, embedder=embedder)
    events = list(assistant.stream(QUESTION, [], mode="llm"))
    final = events[-1].answer
    assert "400.000" in final.answer and final.citations
    assert final.fallback_reason.startswith("taalmodel niet beschikbaar")
    assert assistant.ask(QUESTION, mode="llm").answer == final.answer


def test_a_figure_from_another_year_of_the_table_row_falls_back(settings, embedder, built_index) -> None:
    # The VTH row holds € 300.000 for 2025 and € 400.000 for 2026-2027. A 2025 figure
    # passed off as 2026 must not reach the user, although it is in the same row.
    backend = Scripted("In 2026 gaat er € 300.000 naar VTH [1].")
    events = _run(settings, embedder, backend)
    final = events[-1].answer
    assert "300.000" not in backend.messages[-1]["content"]  # the row is narrowed to 2026
    assert final.fallback_reason and "300.000" in final.fallback_reason
    assert "400.000" in final.answer and "300.000" not in final.answer
    assert [e.kind for e in events if e.kind != "token"] == ["replace", "citations", "final"]
