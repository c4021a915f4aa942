"""The typed answer stream survives the SSE wire: what the API writes, the remote TUI reads back."""

from __future__ import annotations

import json

from assistant.schema import Answer, Citation, ErrorEvent, FinalEvent, ReplaceEvent, TokenEvent
from assistant.stream import BROKEN_OFF, answer_events, from_wire, pieces, to_wire

CITATION = Citation(
    n=1, doc_id="d", title="Nota", section="Financiën", page=21, text="€ 400.000", score=0.9, chunk_id="c"
)
CARD = {"label": "ICT-hardware", "cards": [{"id": "ict-hw-01", "title": "Repareerbaar"}]}


def _wire(events):
    # through JSON, as on the network
    return [(name, json.loads(json.dumps(data))) for name, data in map(to_wire, events)]


def test_pieces_join_back_to_the_text() -> None:
    text = " ".join(f"woord{i}" for i in range(60))
    parts = list(pieces(text))
    assert len(parts) == 3 and "".join(parts) == text


def test_answer_round_trips_through_the_wire() -> None:
    answer = Answer(
        question="q", answer="In 2026 gaat er € 400.000 naar VTH [1].", refused=False, answer_id="a1",
        citations=[CITATION], criteria=[CARD], mode="llm", timings_ms={"total": 3.0},
    )  # fmt: skip
    sent = list(answer_events(answer))
    assert [e.kind for e in sent][-3:] == ["citations", "criteria", "final"]
    names = [name for name, _ in _wire(sent)]
    assert names[-3:] == ["citations", "criteria", "done"]
    back = list(from_wire(_wire(sent)))
    assert back[:-1] == sent[:-1]
    rebuilt = back[-1].answer
    assert rebuilt.model_dump(exclude={"trace"}) == answer.model_dump(exclude={"trace"})


def test_replace_wins_over_the_streamed_tokens() -> None:
    final = Answer(question="q", answer="Geciteerd.", refused=False)
    events = [TokenEvent("Verzonnen "), TokenEvent("bedrag."), ReplaceEvent("Geciteerd."), FinalEvent(final)]
    assert list(from_wire(_wire(events)))[-1].answer.answer == "Geciteerd."


def test_error_and_a_broken_stream_end_in_an_error_event() -> None:
    assert list(from_wire(_wire([TokenEvent("a"), ErrorEvent("Kapot.")])))[-1] == ErrorEvent("Kapot.")
    assert list(from_wire(_wire([TokenEvent("a")])))[-1] == ErrorEvent(BROKEN_OFF)
