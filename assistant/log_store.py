"""Where the question log lives: an SQLite file (default) or PostgreSQL (several hosts).

Both stores take the same SQL with ``?`` placeholders and the same upsert syntax
(``INSERT … ON CONFLICT … DO UPDATE``, which SQLite has since 3.24), so ``QuestionLog``
holds one set of queries. Each store serialises its own connection with a lock: the API
answers in parallel threads.

Usage::

    store = open_store(Path("questions.sqlite"), None)                 # SQLite
    store = open_store(None, "postgresql://kringwijs@db.example/kringwijs")
    store.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,))
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

_COLUMNS = """
    answer_id TEXT PRIMARY KEY,
    asked_at {float} NOT NULL,
    question TEXT NOT NULL,
    standalone_query TEXT NOT NULL DEFAULT '',
    refused INTEGER NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    citations INTEGER NOT NULL DEFAULT 0,
    channel TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL DEFAULT 'public',
    rating INTEGER,
    comment TEXT,
    rated_at {float}
"""


def schema(float_type: str) -> list[str]:
    """The tables; timestamps need a double (PostgreSQL's REAL is 4 bytes: seconds would round)."""
    return [
        f"CREATE TABLE IF NOT EXISTS questions ({_COLUMNS.format(float=float_type)})",
        "CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at)",
        f"CREATE TABLE IF NOT EXISTS handled_gaps (group_id TEXT PRIMARY KEY, handled_at {float_type} NOT NULL)",
    ]


class SqliteStore:
    """One WAL-mode SQLite file, shared by the API and the staff TUI on one host."""

    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        # Users' questions: readable by the server's user only. SQLite gives its -wal/-shm
        # files the database file's mode, so creating (or tightening) the file is enough.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
        wal = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a crash of the server
        # loses nothing, a power cut at most the last questions. The fsync per logged question
        # cost 0.4 ms of every API answer (0.02 ms without).
        # Without WAL (a file system that refuses it) every commit keeps its fsync.
        self._conn.execute(f"PRAGMA synchronous={'NORMAL' if wal else 'FULL'}")
        self._conn.execute("PRAGMA busy_timeout=10000")
        for statement in schema("REAL"):
            self._conn.execute(statement)
        self._conn.commit()

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        with self._lock:
            cur = self._conn.execute(sql, params)
            self._conn.commit()
            return cur.rowcount

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class PostgresStore:
    """PostgreSQL via psycopg 3, autocommit: every API host logs to and reads from one database.

    A dropped connection (database restart, failover) is reopened once per statement, so a
    long-running API worker recovers without a restart.
    """

    kind = "postgresql"
    _SCHEMA_LOCK = 7_240_531  # advisory lock id: two workers starting at once must not race on CREATE

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._conn = self._connect()
        with self._lock, self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._SCHEMA_LOCK,))
            for statement in schema("DOUBLE PRECISION"):
                self._conn.execute(statement)

    def _connect(self):
        import psycopg  # only when a database URL is configured

        return psycopg.connect(self.url, autocommit=True, connect_timeout=10)

    def _run(self, sql: str, params: tuple[Any, ...], fetch: bool) -> Any:
        import psycopg

        # ``?`` -> ``%s``: the SQL here has no literal percent signs.
        sql = sql.replace("?", "%s")
        with self._lock:
            for attempt in (1, 2):
                try:
                    cur = self._conn.execute(sql, params)
                    return cur.fetchall() if fetch else cur.rowcount
                except psycopg.OperationalError:
                    if attempt == 2 or not self._conn.closed:
                        raise
                    self._conn = self._connect()
        raise AssertionError("unreachable")

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        return int(self._run(sql, params, fetch=False))

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._run(sql, params, fetch=True)]

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def open_store(path: Path | None, database_url: str | None) -> SqliteStore | PostgresStore:
    """PostgreSQL when a URL is given, else the SQLite file at ``path``."""
    if database_url:
        return PostgresStore(database_url)
    if path is None:
        raise ValueError("a question log needs a file path or a database URL")
    return SqliteStore(Path(path))
