"""Incremental, crash-safe ingest: only new or changed sources are embedded.

Usage::

    report = run_ingest(settings)                  # bundled knowledge + roots added earlier
    report = run_ingest(settings, [Path("x.pdf")])  # adds x.pdf, keeps everything else
    report = run_ingest(settings, [Path("docs/")], bundled=False)  # own documents only
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
from ingest.sources import LOADERS, SourceUnit, discover
from ingest.store import IndexWriter, read_current
from kringwijs.settings import Settings

# Bump when loaders or chunking change what an unchanged file turns into: the next
# ingest then rebuilds instead of keeping chunks made by the old code.
INGEST_VERSION = 5  # 5: passages embedded from their first passage_max_tokens tokens


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Failures of this run only, with their reason.
    failed: dict[str, str] = field(default_factory=dict)
    # Files that failed before and have not changed since: not retried, not this run's failure.
    known_failed: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    embedded: int = 0
    chunks: int = 0
    generation: str | None = None
    seconds: float = 0.0
    files: int = 0
    bundled: bool = True
    roots: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        """What happened, in one or two Dutch sentences (the CLI prints it as is)."""
        changes = [
            f"{len(items)} {word}"
            for items, word in ((self.added, "toegevoegd"), (self.changed, "bijgewerkt"), (self.removed, "verwijderd"))
            if items
        ]
        if changes:
            text = f"Index bijgewerkt: {', '.join(changes)} ({self.embedded} vectoren berekend)."
        elif self.generation:
            text = "Niets veranderd; de index is actueel."
        else:
            text = "Er is niets geïndexeerd; er is nog geen index."
        if self.generation:
            text += f" De index bevat {self.chunks} passages uit {self.files} bronnen."
        if self.failed:
            count = len(self.failed)
            noun = "bestand" if count == 1 else "bestanden"
            rest = "de andere wijzigingen zijn wel verwerkt" if changes else "verder is er niets veranderd"
            text += f" {count} {noun} mislukt ({rest})."
        return text


def run_ingest(
    settings: Settings,
    paths: list[Path] | None = None,
    *,
    rebuild: bool = False,
    bundled: bool | None = None,
    progress: Progress | None = None,
    embedder: Any = None,
) -> IngestReport:
    """Bring the index in line with its sources; never loses what was indexed before.

    The sources are the bundled knowledge (unless ``bundled=False``, or an earlier run
    left it out and ``bundled`` is None), every folder or file added by an earlier run,
    and ``paths``. ``rebuild`` re-reads all of them from scratch."""
    started = time.perf_counter()
    progress = progress or NullProgress()
    report = IngestReport()
    live = read_current(settings)
    manifest: dict[str, Any] = live.manifest if live else {}
    current = None if rebuild else live
    old_files: dict[str, dict[str, Any]] = dict(current.manifest.get("files", {})) if current else {}
    outdated = current and current.manifest.get("ingest_version") != INGEST_VERSION
    from ingest.embedder import encoder_id, manifest_encoder

    if current and (outdated or manifest_encoder(current.manifest) != encoder_id(settings)):
        current, old_files = None, {}  # vectors of two models (or encoders) must never mix in one index
        rebuild = True

    given, report.failed = _check_given(paths or [])
    if paths and not given:
        report.seconds = time.perf_counter() - started
        return report  # nothing usable was given: leave the index as it is
    report.bundled = manifest.get("bundled", True) if bundled is None else bundled
    knowledge = str(settings.knowledge_dir.resolve())
    user_roots = [r for r in _user_roots(manifest, knowledge) if Path(r).exists()]
    user_roots += [r for r in given if r not in user_roots and r != knowledge]
    roots = ([knowledge] if report.bundled else []) + user_roots
    report.roots = roots
    known_failures: dict[str, dict[str, str]] = {} if rebuild else dict(manifest.get("failed_files", {}))

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
    for key, known in known_failures.items():
        if key in hashes and hashes[key] == known.get("hash") and old_files.get(key, {}).get("hash") != hashes[key]:
            report.known_failed[key] = known.get("reason", "")
    todo = [
        k
        for k in units
        if k in hashes and old_files.get(k, {}).get("hash") != hashes[k] and k not in report.known_failed
    ]
    removed = [k for k in old_files if k not in units and k not in report.failed]
    report.unchanged = [k for k in units if k in hashes and k not in todo and k not in report.known_failed]

    if not todo and not removed and current and not rebuild and roots == manifest.get("roots_order", roots):
        report.generation = current.name
        report.chunks = int(current.manifest.get("chunks", 0))
        report.files = len(current.manifest.get("files", {}))
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
    if todo and not new_chunks and not removed and (rebuild or not current):
        # Everything failed: an empty or smaller index must not replace the one in use.
        report.seconds = time.perf_counter() - started
        return report

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
        failed_files = {key: known for key, known in known_failures.items() if key in report.known_failed}
        failed_files.update(
            {key: {"hash": hashes[key], "reason": why} for key, why in report.failed.items() if key in hashes}
        )
        new_manifest = {
            "model": settings.embedding_model,
            "encoder": encoder_id(settings),  # the reader refuses an index built by another encoder
            "ingest_version": INGEST_VERSION,
            # Every folder or file the index is built from (bench scripts read this).
            "roots": sorted(scanned_roots),
            "roots_order": roots,
            # Added with ``kringwijs ingest PATH``; re-read by every later run and by --rebuild.
            "user_roots": user_roots,
            "bundled": report.bundled,
            "files": files,
            # What `status` shows: every source that currently cannot be read, and why.
            "failed": {key: known["reason"] for key, known in failed_files.items()},
            "failed_files": failed_files,
        }
        generation = writer.commit(new_manifest)
    except BaseException:
        writer.abort()
        raise
    report.generation = generation.name
    report.chunks = int(generation.manifest["chunks"])
    report.files = len(files)
    report.seconds = time.perf_counter() - started
    return report


def _check_given(paths: list[Path]) -> tuple[list[str], dict[str, str]]:
    """The paths a user gave that can be ingested, and why the others cannot."""
    good: list[str] = []
    bad: dict[str, str] = {}
    for path in paths:
        resolved = path.expanduser().resolve()
        if not resolved.exists():
            bad[str(path)] = "dit bestand of deze map bestaat niet"
        elif resolved.is_file() and resolved.suffix.lower() not in LOADERS:
            bad[str(path)] = (
                f"bestandstype '{resolved.suffix or '(geen)'}' wordt niet ondersteund "
                f"(wel: {', '.join(sorted({s for s in LOADERS}))})"
            )
        elif str(resolved) not in good:
            good.append(str(resolved))
    return good, bad


def _user_roots(manifest: dict[str, Any], knowledge: str) -> list[str]:
    """Roots added by earlier runs; indexes from before ``user_roots`` kept them in ``roots``."""
    if "user_roots" in manifest:
        return list(manifest["user_roots"])
    from kringwijs.settings import BUNDLED_KNOWLEDGE

    bundled = {knowledge, str(BUNDLED_KNOWLEDGE.resolve())}
    return [r for r in manifest.get("roots", []) if r not in bundled]


def _with_ordinals(chunks: list[Chunk]) -> list[Chunk]:
    # The position in the document lets the source view show the surrounding passages.
    for ordinal, chunk in enumerate(chunks):
        chunk.extra["ordinal"] = ordinal
    return chunks
