"""Incremental, crash-safe ingest: only new or changed sources are embedded.

Usage::

    report = run_ingest(settings)                 # bundled knowledge (+ earlier roots)
    report = run_ingest(settings, [Path("x.pdf")])
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.chunking import chunk_document
from ingest.loaders.errors import LoadError
from ingest.models import Chunk
from ingest.progress import NullProgress, Progress
from ingest.sources import SourceUnit, discover
from ingest.store import IndexWriter, read_current
from kringwijs.settings import Settings

# Bump when loaders or chunking change what an unchanged file turns into: the next
# ingest then rebuilds instead of keeping chunks made by the old code.
INGEST_VERSION = 3


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    embedded: int = 0
    chunks: int = 0
    generation: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def run_ingest(
    settings: Settings,
    paths: list[Path] | None = None,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    embedder: Any = None,
) -> IngestReport:
    """Bring the index in line with the sources; never loses what was indexed before."""
    started = time.perf_counter()
    progress = progress or NullProgress()
    report = IngestReport()
    current = None if rebuild else read_current(settings)
    old_files: dict[str, dict[str, Any]] = dict(current.manifest.get("files", {})) if current else {}
    outdated = current and current.manifest.get("ingest_version") != INGEST_VERSION
    if current and (outdated or current.manifest.get("model") != settings.embedding_model):
        current, old_files = None, {}  # vectors of two models must never mix in one index
        rebuild = True
    roots = [str(settings.knowledge_dir.resolve())]
    roots += [r for r in (current.manifest.get("roots", []) if current else []) if r not in roots]
    roots += [str(p.expanduser().resolve()) for p in paths or [] if str(p.expanduser().resolve()) not in roots]

    units: dict[str, SourceUnit] = {}
    scanned_roots: set[str] = set()
    for root in roots:
        try:
            found, skipped = discover(Path(root))
        except LoadError as exc:
            if Path(root).exists():
                report.failed[root] = str(exc)
            continue  # a root that vanished: its files count as removed below
        scanned_roots.add(root)
        report.skipped.update(skipped)
        units.update({u.key: u for u in found})

    hashes: dict[str, str] = {}
    for key, unit in units.items():
        try:
            hashes[key] = unit.content_hash()
        except OSError as exc:
            report.failed[key] = f"kan het bestand niet lezen ({exc.strerror or exc})"
    todo = [k for k in units if k in hashes and old_files.get(k, {}).get("hash") != hashes[k]]
    removed = [k for k in old_files if k not in units and k not in report.failed]
    report.unchanged = [k for k in units if k in hashes and k not in todo]

    if not todo and not removed and current and not rebuild:
        report.generation = current.name
        report.chunks = int(current.manifest.get("chunks", 0))
        report.seconds = time.perf_counter() - started
        return report

    # Load and chunk before touching the index: a broken file must not cost its old chunks.
    new_chunks: dict[str, list[Chunk]] = {}
    progress.start("Bestanden lezen en opdelen", len(todo))
    for key in todo:
        try:
            docs = units[key].load()
            chunks = [c for d in docs for c in _with_ordinals(chunk_document(d))]
            if not chunks:
                raise LoadError("het bestand bevat geen tekst")
            new_chunks[key] = chunks
        except LoadError as exc:
            report.failed[key] = str(exc)
        except Exception as exc:
            report.failed[key] = f"onverwachte fout bij het lezen: {type(exc).__name__}"
        progress.advance()
    progress.finish()

    if embedder is None:
        from ingest.embedder import Embedder

        embedder = Embedder(settings)
    writer = IndexWriter(settings, embedder, rebuild=rebuild)
    try:
        stale = [d for k in [*new_chunks, *removed] for d in old_files.get(k, {}).get("doc_ids", [])]
        writer.delete_docs(stale)
        all_new = [c for chunks in new_chunks.values() for c in chunks]
        report.embedded = writer.add_chunks(all_new, progress)
        files = {k: v for k, v in old_files.items() if k not in removed}
        if rebuild:
            files = {k: v for k, v in files.items() if k in new_chunks}
        for key, chunks in new_chunks.items():
            (report.changed if key in old_files else report.added).append(key)
            files[key] = {
                "hash": hashes[key],
                "doc_ids": sorted({c.doc_id for c in chunks}),
                "chunks": len(chunks),
                "root": units[key].root,
            }
        report.removed = removed
        manifest = {
            "model": settings.embedding_model,
            "ingest_version": INGEST_VERSION,
            "roots": sorted(scanned_roots | {r for r in roots if Path(r).exists()}),
            "files": files,
            "failed": report.failed,
        }
        generation = writer.commit(manifest)
    except BaseException:
        writer.abort()
        raise
    report.generation = generation.name
    report.chunks = int(generation.manifest["chunks"])
    report.seconds = time.perf_counter() - started
    return report


def _with_ordinals(chunks: list[Chunk]) -> list[Chunk]:
    # The position in the document lets the source view show the surrounding passages.
    for ordinal, chunk in enumerate(chunks):
        chunk.extra["ordinal"] = ordinal
    return chunks
