"""What the running app holds: settings, the assistant (loaded in the background), the log.

The assistant loads the embedding model and opens the index in a thread so that the
server answers ``/healthz`` at once and ``/readyz`` turns 200 when loading is done.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from api.security import RateLimiter
from assistant.question_log import QuestionLog
from ingest.generation import MANIFEST, POINTER
from kringwijs.settings import Settings

log = logging.getLogger("kringwijs.api")

# Distinct texts (the embedder caches query vectors by text) of varying length. On the
# target machine the first ~12 encodes take 1-2 s each whatever their length, so /readyz
# waits until they are done instead of letting the first visitors pay for them.
WARM_QUERIES = (
    "circulaire economie",
    "budget",
    "Hoeveel geld gaat er naar VTH?",
    "Welke criteria gelden voor catering?",
    "subsidie voor circulair ondernemen in de provincie Utrecht",
    "Wat doet de provincie aan textiel en kleding?",
    "grondstoffen",
    "Wanneer loopt de uitvoeringsagenda af en wat gebeurt er daarna met de thema's?",
    "inkoop ICT-hardware laptops",
    "Wie is verantwoordelijk voor toezicht en handhaving?",
    "biobased bouwen",
    "Welke acties staan er voor 2026 gepland in het thema ruimte?",
    "afval",
    "Hoe kan een ondernemer meedoen aan de circulaire maakindustrie?",
)

# The machine has few cores: more than this many answers at once only adds queueing
# inside torch and Chroma, so callers queue here instead.
MAX_CONCURRENT_ANSWERS = max(1, os.cpu_count() or 1)
# After a failed load (no index yet, unreadable index), try again at most this often, so the
# server recovers by itself once `kringwijs ingest` has run, without a restart.
RETRY_LOAD_SECONDS = 10.0


class AppState:
    """Shared, thread-safe holder for everything the routes need."""

    def __init__(self, settings: Settings, assistant: Any = None, question_log: QuestionLog | None = None) -> None:
        self.settings = settings
        self.assistant = assistant
        self.load_error: str | None = None
        self._load_lock = threading.Lock()
        self._loading = False
        self._last_attempt = 0.0
        self.ready = threading.Event()
        if assistant is not None:
            self.ready.set()
        self.question_log = question_log or QuestionLog(
            settings.question_log_path,
            enabled=settings.question_log,
            retention_days=settings.question_log_retention_days,
            database_url=settings.database_url,
        )
        self.limiter = RateLimiter(settings.rate_limit_per_minute)
        self.answer_gate = threading.BoundedSemaphore(MAX_CONCURRENT_ANSWERS)

    def start_loading(self) -> threading.Thread | None:
        """Load the assistant in a daemon thread (no-op when one was passed in)."""
        with self._load_lock:
            if self.ready.is_set() or self._loading:
                return None
            self._loading = True
            self._last_attempt = time.monotonic()
        thread = threading.Thread(target=self._load, name="kringwijs-load", daemon=True)
        thread.start()
        return thread

    def retry_failed_load(self) -> None:
        """After a failed load, start another attempt (at most every RETRY_LOAD_SECONDS)."""
        if self.load_error and time.monotonic() - self._last_attempt >= RETRY_LOAD_SECONDS:
            self.start_loading()

    def index_available(self) -> bool:
        """Is the live generation on disk? Two small file reads: cheap enough per request.

        A Chroma server keeps its data elsewhere, so there only the pointer is checked."""
        index_dir = self.settings.index_dir
        try:
            name = (index_dir / POINTER).read_text(encoding="utf-8").strip()
        except OSError:
            return False
        return bool(name) and (index_dir / name / MANIFEST).is_file()

    def _load(self) -> None:
        try:
            from assistant.service import Assistant

            assistant = Assistant(self.settings)
            assistant.warm_up(WARM_QUERIES)
            self.assistant = assistant
            self.load_error = None
            self.ready.set()
            log.info("Kringwijs is klaar: model en index geladen")
        except Exception as exc:  # kept for /readyz; the server keeps answering /healthz
            log.exception("Laden van model of index mislukt")
            self.load_error = type(exc).__name__
        finally:
            self._loading = False

    def records(self) -> tuple[Any, ...]:
        """The knowledge records (criteria etc.): the copy the chat's criteria answers use."""
        from knowledge.records import cached_records

        return cached_records(self.settings.knowledge_dir)

    def close(self) -> None:
        self.question_log.close()
