"""The question log: asked questions and feedback, for knowledge-gap analysis.

SQLite (stdlib, WAL) so the API and the staff TUI on one host share one file; with
``database_url`` (``KRINGWIJS_DATABASE_URL``) PostgreSQL, so every API host behind a load
balancer logs to, and staff see the gaps of, one database (``assistant/log_store.py``). Never stores IP
addresses or any other client identifier; rows older than the retention period are purged
when the log opens and once a day after that.

Usage::

    log = QuestionLog(settings.question_log_path, enabled=settings.question_log,
                      retention_days=settings.question_log_retention_days,
                      database_url=settings.database_url)
    log.log(answer, audience="public", channel="widget")
    log.feedback(answer.answer_id, -1, "Dit klopt niet")
    for gap in log.gaps():
        print(gap.count, gap.question)
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.log_store import PostgresStore, SqliteStore, open_store
from assistant.schema import Answer
from assistant.text import content_stems, fold, words

_DAY = 86_400.0
# Two questions belong to one gap when their content-word sets overlap this much.
_JACCARD = 0.5


@dataclass
class LoggedQuestion:
    """One row of the log, as shown in ``recent``."""

    answer_id: str
    asked_at: datetime
    question: str
    standalone_query: str
    refused: bool
    answer: str
    citations: int
    channel: str
    audience: str
    rating: int | None = None
    comment: str | None = None


@dataclass
class Gap:
    """Similar questions that were refused or got a thumbs-down: something the knowledge lacks."""

    group_id: str
    question: str  # the most recent phrasing, as a title
    count: int
    examples: list[str] = field(default_factory=list)
    last_seen: datetime | None = None
    refused: int = 0
    thumbs_down: int = 0
    comments: list[str] = field(default_factory=list)
    handled: bool = False


def _normalise(text: str) -> str:
    return " ".join(fold(w) for w in words(text))


def _terms(text: str) -> frozenset[str]:
    return frozenset(content_stems(text)) or frozenset(_normalise(text).split())


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


class QuestionLog:
    """Thread-safe log of questions and feedback; a no-op when ``enabled`` is false."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        enabled: bool = True,
        retention_days: int = 90,
        clock: Callable[[], float] = time.time,
        database_url: str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.enabled = enabled
        self.retention_days = retention_days
        self._clock = clock
        self._db: SqliteStore | PostgresStore | None = None
        self._last_purge = 0.0
        if enabled:
            self._db = open_store(self.path, database_url)
            self.purge()

    @property
    def backend(self) -> str:
        """ "sqlite", "postgresql" or "off" (shown by status pages)."""
        return self._db.kind if self._db is not None else "off"

    # --- writing -----------------------------------------------------------
    def log(self, answer: Answer, *, audience: str, channel: str) -> None:
        """Store one answered (or refused) question. Never stores who asked it."""
        if self._db is None:
            return
        self._purge_daily()
        row = (
            answer.answer_id,
            self._clock(),
            answer.question,
            answer.standalone_query,
            int(answer.refused),
            answer.answer,
            len(answer.citations),
            channel,
            audience,
        )
        # Logging one answer id twice replaces the row, feedback included (as INSERT OR REPLACE did).
        self._db.execute(
            "INSERT INTO questions (answer_id, asked_at, question, standalone_query, refused, answer, citations,"
            " channel, audience) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (answer_id) DO UPDATE SET"
            " asked_at = excluded.asked_at, question = excluded.question,"
            " standalone_query = excluded.standalone_query, refused = excluded.refused, answer = excluded.answer,"
            " citations = excluded.citations, channel = excluded.channel, audience = excluded.audience,"
            " rating = NULL, comment = NULL, rated_at = NULL",
            row,
        )

    def feedback(self, answer_id: str, rating: int, comment: str | None = None) -> bool:
        """Record +1 / -1 (and a comment) on a logged answer; False when the answer is unknown."""
        if self._db is None:
            return False
        if rating not in (1, -1):
            raise ValueError("rating must be +1 or -1")
        comment = (comment or "").strip() or None
        updated = self._db.execute(
            "UPDATE questions SET rating = ?, comment = ?, rated_at = ? WHERE answer_id = ?",
            (rating, comment, self._clock(), answer_id),
        )
        return updated > 0

    def mark_handled(self, group_id: str) -> None:
        """Mark a gap as dealt with; it reappears when the question is asked again afterwards."""
        if self._db is None:
            return
        self._db.execute(
            "INSERT INTO handled_gaps (group_id, handled_at) VALUES (?, ?)"
            " ON CONFLICT (group_id) DO UPDATE SET handled_at = excluded.handled_at",
            (group_id, self._clock()),
        )

    def purge(self) -> int:
        """Delete rows older than the retention period; returns how many were deleted."""
        if self._db is None:
            return 0
        now = self._clock()
        cutoff = now - self.retention_days * _DAY
        deleted = self._db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,))
        self._db.execute("DELETE FROM handled_gaps WHERE handled_at < ?", (cutoff,))
        self._last_purge = now
        return deleted

    def _purge_daily(self) -> None:
        if self._clock() - self._last_purge >= _DAY:
            self.purge()

    # --- reading -----------------------------------------------------------
    def get(self, answer_id: str) -> LoggedQuestion | None:
        """One logged question by its answer id."""
        rows = self._select("WHERE answer_id = ?", (answer_id,))
        return rows[0] if rows else None

    def recent(self, limit: int = 50) -> list[LoggedQuestion]:
        """The most recent questions, newest first."""
        return self._select("ORDER BY asked_at DESC LIMIT ?", (int(limit),))

    def gaps(self, limit: int = 50) -> list[Gap]:
        """Refused or thumbs-down questions grouped by similarity; open gaps first, then by count."""
        rows = self._select("WHERE refused = 1 OR rating = -1 ORDER BY asked_at ASC", ())
        groups: list[tuple[frozenset[str], str, list[LoggedQuestion]]] = []
        for row in rows:
            terms = _terms(row.standalone_query or row.question)
            norm = _normalise(row.question)
            for seed_terms, seed_norm, members in groups:
                if norm == seed_norm or _jaccard(terms, seed_terms) >= _JACCARD:
                    members.append(row)
                    break
            else:
                groups.append((terms, norm, [row]))
        handled = self._handled()
        gaps = [self._gap(seed_norm, members, handled) for _terms_, seed_norm, members in groups]
        gaps.sort(key=lambda g: (g.handled, -g.count, -(g.last_seen.timestamp() if g.last_seen else 0)))
        return gaps[:limit]

    @staticmethod
    def _gap(seed_norm: str, members: list[LoggedQuestion], handled: dict[str, float]) -> Gap:
        # The id hashes the group's oldest phrasing, so it stays stable while the group grows.
        group_id = hashlib.sha1(seed_norm.encode()).hexdigest()[:12]
        last = max(m.asked_at for m in members)
        examples: list[str] = []
        for m in reversed(members):
            if m.question not in examples:
                examples.append(m.question)
        handled_at = handled.get(group_id)
        return Gap(
            group_id=group_id,
            question=members[-1].question,
            count=len(members),
            examples=examples[:5],
            last_seen=last,
            refused=sum(m.refused for m in members),
            thumbs_down=sum(1 for m in members if m.rating == -1),
            comments=[m.comment for m in members if m.comment][:5],
            handled=handled_at is not None and handled_at >= last.timestamp(),
        )

    def _handled(self) -> dict[str, float]:
        if self._db is None:
            return {}
        return {str(g): float(t) for g, t in self._db.query("SELECT group_id, handled_at FROM handled_gaps")}

    def _select(self, tail: str, params: tuple[Any, ...]) -> list[LoggedQuestion]:
        if self._db is None:
            return []
        sql = (
            "SELECT answer_id, asked_at, question, standalone_query, refused, answer, citations, channel,"
            f" audience, rating, comment FROM questions {tail}"
        )
        rows = self._db.query(sql, params)
        return [
            LoggedQuestion(r[0], _utc(float(r[1])), r[2], r[3], bool(r[4]), r[5], r[6], r[7], r[8], r[9], r[10])
            for r in rows
        ]

    def close(self) -> None:
        """Close the database connection (safe to call twice)."""
        db, self._db = self._db, None
        if db is not None:
            db.close()

    def __enter__(self) -> QuestionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
