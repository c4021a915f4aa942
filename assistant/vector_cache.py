"""The vectors of a small index generation held in memory: exact dense search and unit lookup
in numpy instead of a Chroma call per question.

Why: on the bundled index (450 chunks, 3,117 sentence vectors) a Chroma ``query`` cost
7.6 ms and the ``get`` of the candidates' sentences about 2 ms of a 25 ms ``ask``
(bench/results/bench-bundled-idle.json); one matrix product over all chunk vectors takes
well under a millisecond and is exact rather than approximate (HNSW). A generation never
changes once written, so the copy cannot go stale: ``IndexReader.reload`` makes a new one.
Chroma stays the store and the search for large indexes, where a full copy would cost the
API worker more memory than the HNSW graph (``Settings.memory_search_max_vectors``).

Usage::

    cache = VectorCache.from_snapshot(ingest.vector_snapshot.read(generation_folder))
    cache = VectorCache.load(chunks_collection, sentences_collection)  # older generations
    rows = cache.nearest(query_vector, 40, allowed, ("public", None))  # [(id, text, meta, distance)]
    units = cache.units_of(["chunk-1", "chunk-2"])  # {unit id: (text, vector)}
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ingest import vector_snapshot


@dataclass
class VectorCache:
    chunk_ids: list[str]
    chunk_docs: list[str]
    chunk_metas: list[dict[str, Any]]
    chunk_matrix: np.ndarray  # (chunks, dim), L2-normalised as stored
    units: dict[str, tuple[str, np.ndarray]]  # "<chunk id>#<n>" -> (text, vector)
    _masks: dict[Hashable, np.ndarray] = field(default_factory=dict, repr=False)

    _rows: dict[str, int] = field(default_factory=dict, repr=False, init=False)

    @classmethod
    def load(cls, chunks: Any, sentences: Any) -> VectorCache:
        """Read out of the Chroma collections (a generation written before snapshots)."""
        return cls.from_snapshot(vector_snapshot.from_collections(chunks, sentences))

    @classmethod
    def from_snapshot(cls, snap: vector_snapshot.Snapshot) -> VectorCache:
        units = dict(zip(snap.unit_ids, zip(snap.unit_docs, snap.unit_matrix, strict=True), strict=True))
        return cls(snap.chunk_ids, snap.chunk_docs, snap.chunk_metas, snap.chunk_matrix, units)

    def __post_init__(self) -> None:
        self._rows = {cid: i for i, cid in enumerate(self.chunk_ids)}

    def visible_chunks(self, audiences: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
        """(id, text, metadata) of every chunk whose audience is one of ``audiences``."""
        allowed = set(audiences)
        rows = zip(self.chunk_ids, self.chunk_docs, self.chunk_metas, strict=True)
        return [(cid, doc, meta) for cid, doc, meta in rows if meta.get("audience") in allowed]

    def chunk(self, chunk_id: str) -> tuple[str, dict[str, Any]] | None:
        """Text and metadata of one chunk, or None when the generation has no such chunk."""
        row = self._rows.get(chunk_id)
        return None if row is None else (self.chunk_docs[row], self.chunk_metas[row])

    def nearest(
        self, query: np.ndarray, n: int, allowed: Callable[[dict[str, Any]], bool], key: Hashable
    ) -> list[tuple[str, str, dict[str, Any], float]]:
        """The ``n`` nearest chunks that ``allowed`` admits, as (id, text, metadata, cosine
        distance), nearest first. Every chunk is scored, so a selective filter misses nothing;
        the filter's mask is computed once per ``key`` (audience and doc types)."""
        mask = self._masks.get(key)
        if mask is None:
            mask = np.fromiter((allowed(m) for m in self.chunk_metas), dtype=bool, count=len(self.chunk_metas))
            self._masks[key] = mask
        candidates = np.flatnonzero(mask)
        if n <= 0 or not len(candidates):
            return []
        scores = self.chunk_matrix[candidates] @ query.astype(np.float32)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
        # Ties (duplicate passages) are broken by id so the order never depends on the partition.
        best = sorted(top.tolist(), key=lambda j: (-float(scores[j]), self.chunk_ids[candidates[j]]))
        return [
            (self.chunk_ids[i], self.chunk_docs[i], self.chunk_metas[i], 1.0 - float(scores[j]))
            for j in best
            for i in (int(candidates[j]),)
        ]

    def units_of(self, ids: list[str]) -> dict[str, tuple[str, np.ndarray]]:
        return {uid: self.units[uid] for uid in ids if uid in self.units}
