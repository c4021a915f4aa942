"""Read-only view of the live index generation; reloads when an ingest switched it."""

from __future__ import annotations

import logging
from pathlib import Path
from threading import Event, Lock, Thread
from typing import Any

from assistant.audience import audience_filter, visible_audiences
from assistant.vector_cache import VectorCache
from ingest import vector_snapshot
from ingest.bm25 import BM25Index, Vocabulary
from ingest.embedder import encoder_id, manifest_encoder
from ingest.generation import POINTER, Generation, read_current
from kringwijs.settings import Settings

log = logging.getLogger(__name__)


class IndexMissingError(Exception):
    """No index has been built yet."""

    def __init__(self) -> None:
        super().__init__("Er is nog geen index. Voer eerst uit: kringwijs ingest")


class EncoderMismatchError(IndexMissingError):
    """The index was built by another encoder: its vectors and the query's would not compare."""

    def __init__(self, built: str, current: str) -> None:
        Exception.__init__(
            self,
            f"De index is gebouwd met taalmodel '{built}', maar Kringwijs gebruikt nu '{current}'. "
            "Vectoren van twee modellen zijn niet vergelijkbaar. Bouw de index opnieuw op met: "
            "kringwijs ingest --rebuild",
        )
        self.built, self.current = built, current


class IndexReader:
    """Chroma collections + BM25 of the current generation, and for a small generation an
    in-memory copy of its vectors that answers searches without Chroma. Chroma is opened
    (and chromadb imported) only when something needs it."""

    def __init__(self, settings: Settings, *, memory_copy: bool = True) -> None:
        self.settings = settings
        # One-shot commands answer one question: copying a generation without a snapshot out
        # of Chroma would only delay their exit (a snapshot is loaded either way: it is fast).
        self.memory_copy = memory_copy
        self._lock = Lock()
        self._open_lock = Lock()
        self._pointer_state: tuple[float, int] | None = None
        self.generation: Generation | None = None
        self._collections: dict[str, Any] = {}
        self._chroma_of: Generation | None = None
        self.bm25: BM25Index | None = None
        self.vectors: VectorCache | None = None
        self._vectors_done = Event()
        self.reload()

    @property
    def manifest(self) -> dict[str, Any]:
        return self.generation.manifest if self.generation else {}

    def _pointer_stat(self) -> tuple[float, int] | None:
        try:
            stat = (self.settings.index_dir / POINTER).stat()
        except FileNotFoundError:
            return None
        return (stat.st_mtime, stat.st_ino)

    def reload(self) -> None:
        with self._lock:
            state = self._pointer_stat()
            generation = read_current(self.settings)
            if generation is None:
                raise IndexMissingError()
            built, current = manifest_encoder(generation.manifest), encoder_id(self.settings)
            if built != current:
                raise EncoderMismatchError(built, current)
            # Everything of the new generation is read first and switched in together below, so
            # a question answered meanwhile sees the old generation or the new one, not a mix.
            bm25 = BM25Index(Path(generation.path) / "bm25")
            vectors = self._snapshot_of(generation)
            with self._open_lock:
                self._collections = {}
                self._chroma_of = generation
            if self.settings.chroma_url:  # a shared server must hold the generation: fail now, not later
                _ = self.chunks
            self.bm25, self.vectors = bm25, vectors
            self._vocabularies: dict[str, Vocabulary] = {}
            self._chunk_cache: dict[str, tuple[str, dict[str, Any]]] = {}
            self.generation = generation
            self._pointer_state = state
            # A copy made on a thread is published under this lock, so only after self.generation is set.
            self._start_vector_cache(generation)

    @property
    def _copies_allowed(self) -> bool:
        """A shared Chroma server's collections belong to every replica and may change under
        this reader; a limit of 0 switches in-memory search off."""
        return not self.settings.chroma_url and self.settings.memory_search_max_vectors > 0

    def _snapshot_of(self, generation: Generation) -> VectorCache | None:
        """The in-memory copy from the generation's snapshot (ingest.vector_snapshot), when it
        has one and this reader's own limit admits it (the limit bounds a worker's memory)."""
        if not self._copies_allowed:
            return None
        size = int(generation.manifest.get("chunks", 0)) + int(generation.manifest.get("sentences", 0))
        if size > self.settings.memory_search_max_vectors:
            return None
        snapshot = vector_snapshot.read(Path(generation.path))
        return VectorCache.from_snapshot(snapshot) if snapshot is not None else None

    @property
    def chunks(self) -> Any:
        return self._collection("chunks")

    @property
    def sentences(self) -> Any:
        return self._collection("sentences")

    def _collection(self, which: str) -> Any:
        """The generation's Chroma collection, opened on first use."""
        with self._open_lock:
            if which not in self._collections:
                from ingest.chroma_store import (
                    CHUNKS,
                    SENTENCES,
                    collection_name,
                    existing_collection,
                    get_collection,
                    open_client,
                )

                generation = self._chroma_of
                if generation is None:
                    raise IndexMissingError()
                client = open_client(self.settings, Path(generation.path) / "chroma")
                for base, attr in ((CHUNKS, "chunks"), (SENTENCES, "sentences")):
                    name = collection_name(base, generation.name, self.settings)
                    if self.settings.chroma_url:
                        self._collections[attr] = existing_collection(client, name, self.settings, generation.name)
                    else:
                        self._collections[attr] = get_collection(client, name, self.settings)
            return self._collections[which]

    def _start_vector_cache(self, generation: Generation) -> None:
        """A small local generation without a snapshot (written before them) is copied out of
        Chroma into memory on a background thread.

        That copy takes 0.3-0.4 s, which a server or the TUI would otherwise add to its
        start; it has the copy long before its second question. Until it is there, questions
        go to Chroma (approximate search, the same answers on every dev question, a few ms
        slower). A shared Chroma server is left alone: its collections
        belong to every replica, and may change under this reader."""
        done = self._vectors_done = Event()
        if self.vectors is not None or not self._copies_allowed or not self.memory_copy:
            done.set()  # loaded from the snapshot already, or no copy wanted
            return

        def load() -> None:
            try:
                chunks, sentences = self.chunks, self.sentences
                if chunks.count() + sentences.count() <= self.settings.memory_search_max_vectors:
                    cache = VectorCache.load(chunks, sentences)
                    with self._lock:
                        if self.generation is generation:  # not replaced by a newer ingest meanwhile
                            self.vectors = cache
            except Exception:  # the Chroma path keeps working; nothing to tell the user
                log.debug("vector cache not built", exc_info=True)
            finally:
                done.set()

        # Not a daemon: a daemon thread still inside Chroma's native code when the interpreter
        # shuts down (a one-shot command that fails fast) crashed the process (SIGSEGV). Exit
        # now waits for the copy instead, at most the 0.3-0.4 s it takes.
        Thread(target=load, name="kringwijs-vector-cache").start()

    def wait_for_vectors(self, timeout: float = 10.0) -> bool:
        """Wait until the in-memory copy is there or will not be (benchmarks measure with it)."""
        self._vectors_done.wait(timeout)
        return self.vectors is not None

    def fetch(self, ids: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Text and metadata of chunks by id; cached, since a generation never changes."""
        vectors = self.vectors
        if vectors is not None:
            found = {i: vectors.chunk(i) for i in ids}
            return {i: row for i, row in found.items() if row is not None}
        missing = [i for i in ids if i not in self._chunk_cache]
        if missing:
            got = self.chunks.get(ids=missing, include=["documents", "metadatas"])
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                if len(self._chunk_cache) > 50_000:
                    self._chunk_cache.clear()
                self._chunk_cache[cid] = (doc, dict(meta))
        return {i: self._chunk_cache[i] for i in ids if i in self._chunk_cache}

    def document(self, doc_id: str, audience: str) -> list[tuple[str, str, dict[str, Any]]]:
        """Every chunk of one document that ``audience`` may see, as (id, text, metadata)."""
        vectors = self.vectors
        if vectors is not None:
            return [
                row for row in vectors.visible_chunks(visible_audiences(audience)) if row[2].get("doc_id") == doc_id
            ]
        where = {"$and": [{"doc_id": doc_id}, audience_filter(audience)]}
        got = self.chunks.get(where=where, include=["documents", "metadatas"])
        return list(zip(got["ids"], got["documents"], [dict(m) for m in got["metadatas"]], strict=True))

    def vocabulary(self, audience: str) -> Vocabulary:
        """The words of the documents ``audience`` may see (public: public documents only).

        The unknown-word refusal must judge a question by this, not by the whole index: a word
        that only an internal document uses would otherwise change the answer an anonymous
        caller gets. Computed once per audience and generation from the BM25 postings."""
        with self._lock:
            vocabulary = self._vocabularies.get(audience)
            bm25 = self.bm25
            vectors = self.vectors
            if vocabulary is None and bm25 is not None:
                if vectors is not None:
                    visible = {cid for cid, _, _ in vectors.visible_chunks(visible_audiences(audience))}
                else:
                    visible = set(self.chunks.get(where=audience_filter(audience), include=[])["ids"])
                vocabulary = bm25.vocabulary_of(visible)
                self._vocabularies[audience] = vocabulary
        return vocabulary if vocabulary is not None else Vocabulary(None)

    def refresh_if_changed(self) -> bool:
        """One stat() per question: cheap enough to keep API replicas in step with ingests."""
        if self._pointer_stat() != self._pointer_state:
            self.reload()
            return True
        return False
