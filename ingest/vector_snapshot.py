"""A generation's vectors, texts and metadata in two plain files beside its Chroma folder.

Why: a reader of a small generation searches an in-memory copy anyway
(assistant.vector_cache). Reading that copy out of Chroma took 0.3-0.4 s and, for a
one-shot ``kringwijs ask``, importing and opening Chroma took about half a second more. The
writer already has everything in hand at commit, so it writes the copy once; a reader then
loads it in milliseconds and never opens Chroma unless it needs something only Chroma has.

Files (written only for generations up to ``Settings.memory_search_max_vectors`` vectors):

    vectors.npz    chunks (n, dim) and units (m, dim), float32, as stored in Chroma
    vectors.json   chunk ids, texts and metadata; unit ids and texts; row order of the npz
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ARRAYS = "vectors.npz"
TEXTS = "vectors.json"
# Chroma returns at most this many rows per ``get`` without complaint on every version we
# tested; larger collections are read in pages.
_PAGE = 5000


@dataclass
class Snapshot:
    chunk_ids: list[str]
    chunk_docs: list[str]
    chunk_metas: list[dict[str, Any]]
    chunk_matrix: np.ndarray
    unit_ids: list[str]
    unit_docs: list[str]
    unit_matrix: np.ndarray


def read_collection(collection: Any, include: list[str]) -> dict[str, list]:
    """Every row of a Chroma collection, paged."""
    total = collection.count()
    out: dict[str, list] = {"ids": [], **{key: [] for key in include}}
    for offset in range(0, total, _PAGE):
        page = collection.get(include=include, limit=_PAGE, offset=offset)
        out["ids"].extend(page["ids"])
        for key in include:
            out[key].extend(page[key])
    return out


def from_collections(chunks: Any, sentences: Any) -> Snapshot:
    got = read_collection(chunks, ["documents", "metadatas", "embeddings"])
    sent = read_collection(sentences, ["documents", "embeddings"])
    return Snapshot(
        chunk_ids=list(got["ids"]),
        chunk_docs=list(got["documents"]),
        chunk_metas=[dict(m or {}) for m in got["metadatas"]],
        chunk_matrix=np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1),
        unit_ids=list(sent["ids"]),
        unit_docs=list(sent["documents"]),
        unit_matrix=np.asarray(sent["embeddings"], dtype=np.float32).reshape(len(sent["ids"]), -1),
    )


def write(folder: Path, snapshot: Snapshot) -> None:
    """Both files, each written to a temporary name, synced and renamed, and the folder synced:
    the pointer switch that makes the generation live comes after this, so no reader can meet a
    half-written pair, not even after a power cut."""
    texts = {
        "chunk_ids": snapshot.chunk_ids,
        "chunk_docs": snapshot.chunk_docs,
        "chunk_metas": snapshot.chunk_metas,
        "unit_ids": snapshot.unit_ids,
        "unit_docs": snapshot.unit_docs,
    }
    tmp_texts, tmp_arrays = folder / f".{TEXTS}.tmp", folder / f".{ARRAYS}.tmp.npz"
    with tmp_texts.open("w", encoding="utf-8") as handle:
        json.dump(texts, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    with tmp_arrays.open("wb") as raw:
        np.savez(raw, chunks=snapshot.chunk_matrix, units=snapshot.unit_matrix)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(tmp_texts, folder / TEXTS)
    os.replace(tmp_arrays, folder / ARRAYS)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read(folder: Path) -> Snapshot | None:
    """The generation's snapshot, or None when it has none (an older or a large generation) or
    it cannot be read whole: the reader then uses Chroma, which holds the same data."""
    try:
        texts = json.loads((folder / TEXTS).read_text(encoding="utf-8"))
        with np.load(folder / ARRAYS, allow_pickle=False) as arrays:
            chunk_matrix, unit_matrix = arrays["chunks"], arrays["units"]
        snapshot = Snapshot(
            list(texts["chunk_ids"]),
            list(texts["chunk_docs"]),
            [dict(m) for m in texts["chunk_metas"]],
            chunk_matrix.astype(np.float32, copy=False),
            list(texts["unit_ids"]),
            list(texts["unit_docs"]),
            unit_matrix.astype(np.float32, copy=False),
        )
    except Exception:  # missing, empty, cut short, not ours: any of them means "use Chroma"
        return None
    sizes = {len(snapshot.chunk_ids), len(snapshot.chunk_docs), len(snapshot.chunk_metas), len(chunk_matrix)}
    if len(sizes) != 1 or not len(snapshot.unit_ids) == len(snapshot.unit_docs) == len(unit_matrix):
        return None  # not a pair written together
    return snapshot
