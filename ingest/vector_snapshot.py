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
    """Both files, each written to a temporary name and renamed: a reader sees all or nothing
    (and the generation only goes live after this, at the pointer switch)."""
    texts = {
        "chunk_ids": snapshot.chunk_ids,
        "chunk_docs": snapshot.chunk_docs,
        "chunk_metas": snapshot.chunk_metas,
        "unit_ids": snapshot.unit_ids,
        "unit_docs": snapshot.unit_docs,
    }
    tmp_texts, tmp_arrays = folder / f".{TEXTS}.tmp", folder / f".{ARRAYS}.tmp.npz"
    tmp_texts.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    np.savez(tmp_arrays, chunks=snapshot.chunk_matrix, units=snapshot.unit_matrix)
    os.replace(tmp_texts, folder / TEXTS)
    os.replace(tmp_arrays, folder / ARRAYS)


def read(folder: Path) -> Snapshot | None:
    """The generation's snapshot, or None when it has none (an older or a large generation)."""
    try:
        texts = json.loads((folder / TEXTS).read_text(encoding="utf-8"))
        with np.load(folder / ARRAYS, allow_pickle=False) as arrays:
            chunk_matrix, unit_matrix = arrays["chunks"], arrays["units"]
    except (FileNotFoundError, KeyError, ValueError, OSError):
        return None
    if len(texts["chunk_ids"]) != len(chunk_matrix) or len(texts["unit_ids"]) != len(unit_matrix):
        return None  # not a pair written together: let the reader use Chroma
    return Snapshot(
        texts["chunk_ids"],
        texts["chunk_docs"],
        texts["chunk_metas"],
        chunk_matrix.astype(np.float32, copy=False),
        texts["unit_ids"],
        texts["unit_docs"],
        unit_matrix.astype(np.float32, copy=False),
    )
