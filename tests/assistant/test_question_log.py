"""The question log: storage without client identifiers, feedback, gaps, retention, on both
backends: the SQLite file (default) and a real PostgreSQL server (KRINGWIJS_DATABASE_URL).

The PostgreSQL server is Debian's (scripts/install-postgres.sh), started here as a throwaway
cluster in a temp dir on a free loopback port, as the ``postgres`` user when run as root
(initdb refuses root), and stopped at the end of the session.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
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


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    path = found[-1] if found else shutil.which(name)
    if not path:
        pytest.fail(f"PostgreSQL ({name}) is not installed: run scripts/install-postgres.sh")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server for this session; yields the URL of its ``postgres`` database."""
    root = Path(tempfile.mkdtemp(prefix="kw-pg-"))
    data, port = root / "data", _free_port()
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(root, "postgres")
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []

    def run(*cmd: str) -> None:
        subprocess.run([*prefix, *cmd], check=True, capture_output=True, cwd=root)

    run(_pg_bin("initdb"), "-D", str(data), "-U", "kringwijs", "--auth=trust", "-E", "UTF8", "--locale=C")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off"
    run(_pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "server.log"), "-w", "start")
    try:
        yield f"postgresql://kringwijs@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            run(_pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def database_url(postgres_server: str) -> str:
    """A fresh, empty database per test, so retention and ordering tests start clean."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return postgres_server.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def make_log(request: pytest.FixtureRequest, tmp_path: Path):
    """Opens a QuestionLog on the parametrised backend; the same place each time it is called."""
    url = request.getfixturevalue("database_url") if request.param == "postgresql" else None
    opened: list[QuestionLog] = []

    def make(**kwargs) -> QuestionLog:
        log = QuestionLog(tmp_path / "q.sqlite", database_url=url, **kwargs)
        opened.append(log)
        return log

    yield make
    for log in opened:
        log.close()


@pytest.fixture
def qlog(make_log, clock: Clock) -> QuestionLog:
    return make_log(clock=clock)


def _columns(log: QuestionLog, url: str | None = None) -> set[str]:
    if log.backend == "postgresql":
        import psycopg

        with psycopg.connect(url) as conn:
            rows = conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'questions'"
            ).fetchall()
        return {r[0] for r in rows}
    conn = sqlite3.connect(log.path)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(questions)")}
    conn.close()
    return columns


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


def test_schema_has_no_client_identifiers(qlog: QuestionLog, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("database_url") if qlog.backend == "postgresql" else None
    columns = _columns(qlog, url)
    assert "question" in columns and "answer_id" in columns
    assert not any(word in c for c in columns for word in ("ip", "addr", "client", "user_agent", "host"))


def test_sqlite_is_the_default_and_uses_wal(tmp_path: Path) -> None:
    qlog = QuestionLog(tmp_path / "q.sqlite")
    assert qlog.backend == "sqlite"
    conn = sqlite3.connect(qlog.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    qlog.close()


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


def test_purge_removes_rows_older_than_retention(make_log, clock: Clock) -> None:
    log = make_log(retention_days=90, clock=clock)
    old = answer("Oude vraag")
    log.log(old, audience="public", channel="api")
    clock.now += 91 * DAY
    fresh = answer("Nieuwe vraag")
    log.log(fresh, audience="public", channel="api")  # a day has passed: purges on its own
    assert log.get(old.answer_id) is None
    assert log.get(fresh.answer_id) is not None
    log.close()


def test_purge_on_open_and_explicit(make_log, clock: Clock) -> None:
    with make_log(retention_days=30, clock=clock) as log:
        log.log(answer("Vraag een"), audience="public", channel="api")
        clock.now += 10 * DAY
        log.log(answer("Vraag twee"), audience="public", channel="api")
        assert log.purge() == 0
    clock.now += 25 * DAY
    with make_log(retention_days=30, clock=clock) as log:
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


def test_hosts_sharing_one_database_see_each_others_gaps(database_url: str, clock: Clock) -> None:
    """Two API hosts behind a load balancer and a staff TUI: one log, so no half gap list."""
    hosts = [QuestionLog(database_url=database_url, clock=clock) for _ in range(2)]
    staff = QuestionLog(database_url=database_url, clock=clock)
    try:
        assert {log.backend for log in [*hosts, staff]} == {"postgresql"}
        hosts[0].log(
            answer("Welke subsidie is er voor zonnepanelen op daken?", refused=True),
            audience="public",
            channel="widget",
        )
        clock.now += 60
        on_b = answer("Subsidie voor zonnepanelen op daken?", refused=True)
        hosts[1].log(on_b, audience="public", channel="widget")
        assert hosts[0].feedback(on_b.answer_id, -1, "Graag uitzoeken") is True  # feedback may reach another host
        gaps = staff.gaps()
        assert len(gaps) == 1 and gaps[0].count == 2 and gaps[0].comments == ["Graag uitzoeken"]
        staff.mark_handled(gaps[0].group_id)
        assert hosts[1].gaps()[0].handled
    finally:
        for log in [*hosts, staff]:
            log.close()


def test_postgres_log_recovers_from_a_dropped_connection(database_url: str) -> None:
    import psycopg

    log = QuestionLog(database_url=database_url)
    try:
        first = answer("Eerste vraag")
        log.log(first, audience="public", channel="api")
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        second = answer("Tweede vraag")
        log.log(second, audience="public", channel="api")
        assert [r.question for r in log.recent(5)] == ["Tweede vraag", "Eerste vraag"]
    finally:
        log.close()
