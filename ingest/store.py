"""The one place that writes the index.

Layout under ``<home>/index``::

    CURRENT            name of the generation that readers use (switched atomically)
    g<time>-<rand>/    a generation: chroma/ (vectors), bm25/ (lexical), manifest.json, and for a
                       small one vectors.npz + vectors.json (ingest.vector_snapshot)

A writer copies the current generation, applies deletes and adds to the copy, and only
then points ``CURRENT`` at it. Ctrl-C or ``kill -9`` mid-way leaves ``CURRENT`` (and the
index it names) untouched; the orphaned copy is removed by the next writer.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

from ingest import bm25, vector_snapshot
from ingest.chroma_store import (
    CHUNKS,
    SENTENCES,
    collection_name,
    existing_collection,
    get_collection,
    open_client,
)
from ingest.generation import MANIFEST, POINTER, Generation, read_current
from ingest.models import Chunk
from ingest.progress import NullProgress, Progress
from kringwijs.settings import Settings

_ADD_BATCH = 512


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def bm25_corpus(chunks: Any) -> tuple[list[str], list[str]]:
    """Ids and BM25 texts (heading path + text) of every chunk in a collection."""
    got = vector_snapshot.read_collection(chunks, ["documents", "metadatas"])
    texts = []
    for doc, meta in zip(got["documents"], got["metadatas"], strict=True):
        section = str((meta or {}).get("section", ""))
        texts.append(f"{section}\n{doc}" if section else doc)
    return list(got["ids"]), texts


class IndexWriter:
    """Builds the next generation beside the current one; ``commit`` makes it live."""

    def __init__(self, settings: Settings, embedder: Any, *, rebuild: bool = False) -> None:
        self.settings = settings
        self.embedder = embedder
        # Readers keep serving the live generation during a rebuild (and if the rebuild is
        # interrupted), so it is never removed here, in embedded or server mode.
        self.live = read_current(settings)
        self.base = None if rebuild else self.live
        self.name = f"g{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"
        self.path = settings.index_dir / self.name
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        self._remove_orphans()
        if self.base and not settings.chroma_url:
            shutil.copytree(self.base.path / "chroma", self.path / "chroma")
        else:
            (self.path / "chroma").mkdir(parents=True, exist_ok=True)
        self.client = open_client(settings, self.path / "chroma")
        self.chunks = get_collection(self.client, collection_name(CHUNKS, self.name, settings), settings, embedder)
        self.sentences = get_collection(
            self.client, collection_name(SENTENCES, self.name, settings), settings, embedder
        )
        if self.base and settings.chroma_url:
            self._copy_server_collections()

    def _remove_orphans(self) -> None:
        keep = {g.name for g in (self.base, self.live) if g}
        previous = self.settings.index_dir / ".previous"
        if previous.exists():
            keep.add(previous.read_text(encoding="utf-8").strip())
        for child in self.settings.index_dir.iterdir():
            if child.is_dir() and child.name.startswith("g") and child.name not in keep and child != self.path:
                shutil.rmtree(child, ignore_errors=True)
                if self.settings.chroma_url:
                    self._drop_server_collections(child.name)

    def _drop_server_collections(self, generation: str) -> None:
        # A shared server keeps every generation's collections until someone drops them; only
        # generations this home created (and no longer needs) are dropped, never other homes' ones.
        client = open_client(self.settings, None)
        for base in (CHUNKS, SENTENCES):
            with contextlib.suppress(Exception):
                client.delete_collection(collection_name(base, generation, self.settings))

    def _copy_server_collections(self) -> None:
        assert self.base is not None
        for base, target in ((CHUNKS, self.chunks), (SENTENCES, self.sentences)):
            name = collection_name(base, self.base.name, self.settings)
            old = existing_collection(self.client, name, self.settings, self.base.name)
            total = old.count()
            for offset in range(0, total, _ADD_BATCH):
                page = old.get(limit=_ADD_BATCH, offset=offset, include=["embeddings", "documents", "metadatas"])
                target.add(
                    ids=page["ids"],
                    embeddings=page["embeddings"],
                    documents=page["documents"],
                    metadatas=page["metadatas"],
                )

    def delete_docs(self, doc_ids: list[str]) -> None:
        """Delete-before-add: a changed or removed file leaves no stale chunks behind."""
        if doc_ids:
            where = {"doc_id": {"$in": sorted(set(doc_ids))}}
            self.chunks.delete(where=where)
            self.sentences.delete(where=where)

    def add_chunks(self, chunks: list[Chunk], progress: Progress | None = None) -> int:
        """Embed chunks and their evidence units (both at ingest, never per question)."""
        progress = progress or NullProgress()
        if not chunks:
            return 0
        units = [(c, i, u) for c in chunks for i, u in enumerate(c.units)]
        progress.start("Passages en zinnen omzetten naar vectoren", len(chunks) + len(units))
        chunk_vectors = self.embedder.embed_passages([c.embed_text for c in chunks], progress=progress.advance)
        unit_vectors = self.embedder.embed_passages([u for _, _, u in units], progress=progress.advance)
        progress.finish()
        for start in range(0, len(chunks), _ADD_BATCH):
            part = chunks[start : start + _ADD_BATCH]
            self.chunks.add(
                ids=[c.id for c in part],
                embeddings=chunk_vectors[start : start + _ADD_BATCH].tolist(),
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
            )
        for start in range(0, len(units), _ADD_BATCH):
            batch = units[start : start + _ADD_BATCH]
            self.sentences.add(
                ids=[f"{c.id}#{i}" for c, i, _ in batch],
                embeddings=unit_vectors[start : start + _ADD_BATCH].tolist(),
                documents=[u for _, _, u in batch],
                metadatas=[{"doc_id": c.doc_id, "chunk_id": c.id, "audience": c.audience} for c, _, _ in batch],
            )
        return len(chunks) + len(units)

    def commit(self, manifest: dict[str, Any]) -> Generation:
        """Rebuild BM25 from the stored chunks, write the manifest, then switch ``CURRENT``."""
        ids, texts = bm25_corpus(self.chunks)
        bm25.build(ids, texts, self.path / "bm25")
        manifest = {**manifest, "generation": self.name, "chunks": len(ids), "sentences": self.sentences.count()}
        # A small local generation also gets its vectors as plain files: readers search an
        # in-memory copy of it anyway and load this one without opening Chroma.
        if not self.settings.chroma_url and len(ids) + manifest["sentences"] <= self.settings.memory_search_max_vectors:
            vector_snapshot.write(self.path, vector_snapshot.from_collections(self.chunks, self.sentences))
        # Which encoder made the vectors: the reader refuses to query them with another one.
        manifest.setdefault("encoder", getattr(self.embedder, "encoder", None))
        manifest["built_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        _write_atomic(self.path / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        previous = self.base or self.live
        if previous:
            _write_atomic(self.settings.index_dir / ".previous", previous.name)
        _write_atomic(self.settings.index_dir / POINTER, self.name)
        return Generation(self.name, self.path, manifest)

    def abort(self) -> None:
        """Drop the half-built generation (the current one was never touched)."""
        if self.settings.chroma_url:
            self._drop_server_collections(self.name)
        shutil.rmtree(self.path, ignore_errors=True)
