"""POST /api/v1/ask and /api/v1/ask/stream: the answer contract, validation, SSE framing."""

from __future__ import annotations

from api_support import parse_sse as sse
from fastapi.testclient import TestClient

from api.routes.ask import stream_events
from api.schemas import AskRequest
from api.state import AppState
from assistant.question_log import QuestionLog
from assistant.schema import Answer, TokenEvent
from assistant.stream import closing

VTH = "Hoeveel geld gaat er in 2026 naar VTH?"
QUESTION_LENGTH = "Stel een vraag van 1 tot 1000 tekens."


def test_ask_returns_exactly_the_answer_json(client: TestClient, question_log: QuestionLog) -> None:
    r = client.post("/api/v1/ask", json={"question": VTH})
    assert r.status_code == 200
    data = r.json()
    assert set(data) == set(Answer.model_fields)
    assert Answer.model_validate(data).model_dump(mode="json") == data
    assert "400.000" in data["answer"] and not data["refused"]
    assert data["citations"][0]["doc_id"] == "uitvoeringsagenda-cs-2025-2027"
    logged = question_log.get(data["answer_id"])
    assert logged is not None and logged.question == VTH
    assert (logged.channel, logged.audience) == ("api", "public")


def test_follow_up_uses_history(client: TestClient) -> None:
    history = [
        {"role": "user", "content": VTH},
        {"role": "assistant", "content": "VTH — Budget 2026 en 2027: € 400.000 [1]"},
    ]
    r = client.post("/api/v1/ask", json={"question": "En in 2025?", "history": history})
    assert r.status_code == 200
    data = r.json()
    assert "VTH" in data["standalone_query"]
    assert "300.000" in data["answer"]


def test_question_length_is_checked_in_dutch(client: TestClient) -> None:
    for question in ("", "   ", "x" * 1001):
        r = client.post("/api/v1/ask", json={"question": question})
        assert r.status_code == 422, question[:10]
        body = r.json()
        assert body["detail"] == QUESTION_LENGTH
        assert body["errors"] == [{"field": "question", "message": QUESTION_LENGTH}]
        assert "x" * 50 not in r.text  # the input is not echoed
    r = client.post("/api/v1/ask/stream", json={"question": "x" * 1001})
    assert r.status_code == 422 and r.json()["detail"] == QUESTION_LENGTH


def test_thousand_characters_is_allowed(client: TestClient) -> None:
    question = ("Hoeveel geld gaat er naar VTH? " * 40)[:1000]
    assert client.post("/api/v1/ask", json={"question": question}).status_code == 200


def test_other_bad_input_gets_dutch_messages(client: TestClient) -> None:
    cases = [
        ({}, "Vul een vraag in."),
        ({"question": VTH, "history": [{"role": "system", "content": "x"}]}, "Deze waarde is niet toegestaan."),
        ({"question": VTH, "mode": "magic"}, "Deze waarde is niet toegestaan."),
        ({"question": VTH, "extra": 1}, "Dit veld is onbekend."),
    ]
    for body, message in cases:
        r = client.post("/api/v1/ask", json=body)
        assert r.status_code == 422
        assert message in r.json()["detail"]
    r = client.post("/api/v1/ask", content=b"{niet json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["detail"]


def test_stream_framing_and_order(client: TestClient) -> None:
    with client.stream("POST", "/api/v1/ask/stream", json={"question": VTH}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["cache-control"] == "no-cache"
        body = r.read().decode()
    events = sse(body)
    names = [name for name, _ in events]
    assert names[0] == "token"
    tokens = [n for n in names if n == "token"]
    assert names == [*tokens, "citations", "done"]
    text = "".join(data["text"] for name, data in events if name == "token")
    assert "400.000" in text
    citations = dict(events)["citations"]
    assert citations[0]["n"] == 1 and citations[0]["chunk_id"]
    done = dict(events)["done"]
    assert done["refused"] is False and len(done["answer_id"]) == 32
    assert text == client.post("/api/v1/ask", json={"question": VTH}).json()["answer"]


def test_stream_refusal(client: TestClient) -> None:
    r = client.post("/api/v1/ask/stream", json={"question": "Wat is de hoofdstad van Frankrijk?"})
    events = dict(sse(r.text))
    assert events["citations"] == []
    assert events["done"]["refused"] is True


def test_procurement_question_streams_criteria_cards(client: TestClient) -> None:
    question = "Welke eisen kan ik stellen bij de inkoop van laptops?"
    events = sse(client.post("/api/v1/ask/stream", json={"question": question}).text)
    names = [name for name, _ in events]
    assert names[-3:] == ["citations", "criteria", "done"]
    groups = dict(events)["criteria"]
    assert groups and all(g["cards"] for g in groups)
    assert all(card["product_group"] == "ict-hardware" for g in groups for card in g["cards"])
    data = client.post("/api/v1/ask", json={"question": question}).json()
    assert data["criteria"] == groups


class _Scripted:
    """Stands in for the assistant only to check the framing of rare event kinds."""

    def __init__(self, answer: Answer | None = None, fail: bool = False) -> None:
        self.answer, self.fail = answer, fail

    def stream(self, question, history=None, *, audience="public", mode=None):
        yield TokenEvent("Deel een ")
        if self.fail:
            raise RuntimeError("kapot in /work/main/assistant/service.py regel 12")
        yield from closing(self.answer)


def test_stream_criteria_event_comes_before_done(settings, tmp_path) -> None:
    card = {"id": "criterion-cat-01", "title": "Plantaardig", "text": "…", "criterion_type": "minimumeis"}
    answer = Answer(question="q", answer="Deel een", refused=False, answer_id="a1", criteria=[card])
    state = AppState(settings, _Scripted(answer), QuestionLog(tmp_path / "q.sqlite"))
    events = sse("".join(stream_events(state, state.assistant, AskRequest(question="q"), "public", "widget")))
    assert [n for n, _ in events] == ["token", "citations", "criteria", "done"]
    assert dict(events)["criteria"] == [card]
    assert state.question_log.get("a1").channel == "widget"


def test_stream_failure_becomes_a_dutch_error_event(settings, tmp_path) -> None:
    state = AppState(settings, _Scripted(fail=True), QuestionLog(tmp_path / "q.sqlite"))
    body = "".join(stream_events(state, state.assistant, AskRequest(question="q"), "public", "api"))
    events = sse(body)
    assert events[-1] == ("error", {"message": "Er ging iets mis bij Kringwijs. Probeer het later opnieuw."})
    assert "/work" not in body and "RuntimeError" not in body


def test_widget_channel_header(client: TestClient, question_log: QuestionLog) -> None:
    r = client.post("/api/v1/ask", json={"question": VTH}, headers={"X-Kringwijs-Client": "widget"})
    assert question_log.get(r.json()["answer_id"]).channel == "widget"
