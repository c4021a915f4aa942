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

    cache = VectorCache.load(chunks_collection, sentences_collection)
    rows = cache.nearest(query_vector, 40, allowed, ("public", None))  # [(id, text, meta, distance)]
    units = cache.units_of(["chunk-1", "chunk-2"])  # {unit id: (text, vector)}
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Chroma returns at most this many rows per ``get`` without complaint on every version we
# tested; larger collections are read in pages.
_PAGE = 5000


def _read_all(collection: Any, include: list[str]) -> dict[str, list]:
    total = collection.count()
    out: dict[str, list] = {"ids": [], **{key: [] for key in include}}
    for offset in range(0, total, _PAGE):
        page = collection.get(include=include, limit=_PAGE, offset=offset)
        out["ids"].extend(page["ids"])
        for key in include:
            out[key].extend(page[key])
    return out


@dataclass
class VectorCache:
    chunk_ids: list[str]
    chunk_docs: list[str]
    chunk_metas: list[dict[str, Any]]
    chunk_matrix: np.ndarray  # (chunks, dim), L2-normalised as stored
    units: dict[str, tuple[str, np.ndarray]]  # "<chunk id>#<n>" -> (text, vector)
    _masks: dict[Hashable, np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, chunks: Any, sentences: Any) -> VectorCache:
        got = _read_all(chunks, ["documents", "metadatas", "embeddings"])
        matrix = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1)
        sent = _read_all(sentences, ["documents", "embeddings"])
        units = {
            uid: (doc, np.asarray(vec, dtype=np.float32))
            for uid, doc, vec in zip(sent["ids"], sent["documents"], sent["embeddings"], strict=True)
        }
        return cls(got["ids"], got["documents"], [dict(m or {}) for m in got["metadatas"]], matrix, units)

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
