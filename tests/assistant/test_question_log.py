"""The question log: storage without client identifiers, feedback, gaps, retention."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from pathlib import Path

import pytest

from assistant.question_log import Gap, QuestionLog
from assistant.schema import Answer, Citation

DAY = 86_400.0


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def answer(question: str, *, refused: bool = False, cited: int = 1) -> Answer:
    citations = [
        Citation(n=i + 1, doc_id="d", title="T", section="S", page=None, text="x", score=1.0, chunk_id=f"c{i}")
        for i in range(cited)
    ]
    return Answer(
        question=question,
        answer="Ik weet het niet." if refused else "Het antwoord [1]",
        refused=refused,
        citations=[] if refused else citations,
        answer_id=uuid.uuid4().hex,
        standalone_query=question,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def qlog(tmp_path: Path, clock: Clock) -> QuestionLog:
    log = QuestionLog(tmp_path / "q.sqlite", clock=clock)
    yield log
    log.close()


def test_log_stores_the_answer_fields(qlog: QuestionLog) -> None:
    a = answer("Hoeveel geld gaat er in 2026 naar VTH?", cited=2)
    qlog.log(a, audience="public", channel="widget")
    row = qlog.get(a.answer_id)
    assert row is not None
    assert row.question == a.question
    assert row.standalone_query == a.standalone_query
    assert row.answer == a.answer
    assert row.citations == 2
    assert (row.channel, row.audience, row.refused) == ("widget", "public", False)
    assert row.rating is None


def test_schema_has_no_client_identifiers(qlog: QuestionLog) -> None:
    conn = sqlite3.connect(qlog.path)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(questions)")}
    conn.close()
    assert not any(word in c for c in columns for word in ("ip", "addr", "client", "user_agent", "host"))


def test_wal_mode(qlog: QuestionLog) -> None:
    conn = sqlite3.connect(qlog.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_feedback_updates_known_answers_only(qlog: QuestionLog) -> None:
    a = answer("Wat is een circulaire economie?")
    qlog.log(a, audience="public", channel="api")
    assert qlog.feedback(a.answer_id, -1, "  Te vaag  ") is True
    row = qlog.get(a.answer_id)
    assert (row.rating, row.comment) == (-1, "Te vaag")
    assert qlog.feedback("onbekend", 1, None) is False
    with pytest.raises(ValueError):
        qlog.feedback(a.answer_id, 5, None)


def test_recent_is_newest_first(qlog: QuestionLog, clock: Clock) -> None:
    for q in ("eerste vraag", "tweede vraag", "derde vraag"):
        qlog.log(answer(q), audience="public", channel="api")
        clock.now += 10
    assert [r.question for r in qlog.recent(2)] == ["derde vraag", "tweede vraag"]


def test_gaps_group_similar_refused_and_disliked_questions(qlog: QuestionLog, clock: Clock) -> None:
    asked = [
        ("Welke subsidie is er voor zonnepanelen op daken?", True),
        ("welke subsidie is er voor zonnepanelen op het dak", True),
        ("Subsidie voor zonnepanelen op daken?", True),
        ("Hoe laat gaat het provinciehuis open?", True),
        ("Hoeveel geld gaat er in 2026 naar VTH?", False),  # answered and not disliked: no gap
    ]
    for q, refused in asked:
        qlog.log(answer(q, refused=refused), audience="public", channel="widget")
        clock.now += 60
    disliked = answer("Wat doet de provincie aan textiel?")
    qlog.log(disliked, audience="public", channel="widget")
    qlog.feedback(disliked.answer_id, -1, "Mist de inzamelpunten")

    gaps = qlog.gaps()
    assert all(isinstance(g, Gap) for g in gaps)
    assert gaps[0].count == 3
    assert gaps[0].refused == 3
    assert "Subsidie voor zonnepanelen op daken?" in gaps[0].examples
    assert len(gaps) == 3
    textiel = next(g for g in gaps if "textiel" in g.question)
    assert textiel.thumbs_down == 1 and textiel.comments == ["Mist de inzamelpunten"]
    assert not any("VTH" in g.question for g in gaps)
    assert gaps[0].last_seen is not None and gaps[0].last_seen.tzinfo is not None


def test_group_id_is_stable_and_handled_gaps_reopen(qlog: QuestionLog, clock: Clock) -> None:
    qlog.log(answer("Waar vind ik de openingstijden van het depot?", refused=True), audience="public", channel="api")
    gap = qlog.gaps()[0]
    clock.now += 5
    qlog.mark_handled(gap.group_id)
    again = qlog.gaps()[0]
    assert again.group_id == gap.group_id and again.handled
    clock.now += 5
    qlog.log(answer("Openingstijden van het depot?", refused=True), audience="public", channel="api")
    reopened = qlog.gaps()[0]
    assert reopened.group_id == gap.group_id
    assert reopened.count == 2 and not reopened.handled


def test_handled_gaps_sort_after_open_ones(qlog: QuestionLog, clock: Clock) -> None:
    for _ in range(3):
        qlog.log(answer("Wat kost een parkeervergunning?", refused=True), audience="public", channel="api")
    qlog.log(answer("Wie is de gedeputeerde voor sport?", refused=True), audience="public", channel="api")
    clock.now += 1
    qlog.mark_handled(qlog.gaps()[0].group_id)
    gaps = qlog.gaps()
    assert [g.handled for g in gaps] == [False, True]
    assert gaps[1].count == 3
    assert len(qlog.gaps(limit=1)) == 1


def test_purge_removes_rows_older_than_retention(tmp_path: Path, clock: Clock) -> None:
    log = QuestionLog(tmp_path / "q.sqlite", retention_days=90, clock=clock)
    old = answer("Oude vraag")
    log.log(old, audience="public", channel="api")
    clock.now += 91 * DAY
    fresh = answer("Nieuwe vraag")
    log.log(fresh, audience="public", channel="api")  # a day has passed: purges on its own
    assert log.get(old.answer_id) is None
    assert log.get(fresh.answer_id) is not None
    log.close()


def test_purge_on_open_and_explicit(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "q.sqlite"
    with QuestionLog(path, retention_days=30, clock=clock) as log:
        log.log(answer("Vraag een"), audience="public", channel="api")
        clock.now += 10 * DAY
        log.log(answer("Vraag twee"), audience="public", channel="api")
        assert log.purge() == 0
    clock.now += 25 * DAY
    with QuestionLog(path, retention_days=30, clock=clock) as log:
        assert [r.question for r in log.recent(10)] == ["Vraag twee"]
        clock.now += 30 * DAY
        assert log.purge() == 1
        assert log.recent(10) == []


def test_disabled_log_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite"
    log = QuestionLog(path, enabled=False)
    a = answer("Vraag")
    log.log(a, audience="public", channel="api")
    assert log.feedback(a.answer_id, 1, None) is False
    assert log.recent(10) == [] and log.gaps() == [] and log.purge() == 0
    log.mark_handled("x")
    assert not path.exists()


def test_concurrent_writers(qlog: QuestionLog) -> None:
    def work(n: int) -> None:
        for i in range(20):
            a = answer(f"vraag {n} {i}")
            qlog.log(a, audience="public", channel="api")
            qlog.feedback(a.answer_id, 1 if i % 2 else -1, None)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(qlog.recent(1000)) == 120
