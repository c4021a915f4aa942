"""Hybrid retrieval: dense (e5 + Chroma) and Dutch BM25, fused by weighted reciprocal rank.

Usage::

    hits = HybridRetriever(reader, embedder, settings).retrieve("Hoeveel budget VTH 2026?", audience="public")
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from assistant.audience import audience_filter, visible_audiences
from assistant.index import IndexReader
from kringwijs.settings import Settings

Mode = Literal["hybrid", "dense", "bm25"]


@dataclass
class Hit:
    chunk_id: str
    text: str
    meta: dict[str, Any]
    score: float = 0.0
    dense: float | None = None
    bm25: float | None = None
    dense_rank: int | None = None
    bm25_rank: int | None = None


@dataclass
class Unit:
    """An evidence sentence or table row, with its vector computed at ingest."""

    id: str
    chunk_id: str
    index: int
    text: str
    vector: np.ndarray


@dataclass
class Retrieval:
    hits: list[Hit]
    query_vector: np.ndarray | None
    timings_ms: dict[str, float] = field(default_factory=dict)


def _where(audience: str, doc_types: list[str] | None) -> dict[str, Any]:
    clauses = [audience_filter(audience)]
    if doc_types:
        clauses.append({"doc_type": {"$in": doc_types}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class HybridRetriever:
    def __init__(self, reader: IndexReader, embedder: Any, settings: Settings) -> None:
        self.reader = reader
        self.embedder = embedder
        self.settings = settings

    def retrieve(
        self,
        query: str,
        *,
        k: int | None = None,
        audience: str = "public",
        doc_types: list[str] | None = None,
        mode: Mode = "hybrid",
        lexical_query: str | None = None,
    ) -> Retrieval:
        k = k or self.settings.top_k
        n = max(self.settings.candidates, k)
        timings: dict[str, float] = {}
        hits: dict[str, Hit] = {}
        qvec = None
        if mode in ("hybrid", "dense"):
            t = time.perf_counter()
            qvec = self.embedder.embed_query(query)
            timings["embed"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            for rank, (cid, doc, meta, dist) in enumerate(self._dense(qvec, n, audience, doc_types)):
                hits[cid] = Hit(cid, doc, dict(meta), dense=1.0 - float(dist), dense_rank=rank)
            timings["dense"] = (time.perf_counter() - t) * 1000
        if mode in ("hybrid", "bm25") and self.reader.bm25 is not None:
            t = time.perf_counter()
            lexical = self.reader.bm25.search(lexical_query or query, n * 3)
            fetched = self.reader.fetch([cid for cid, _ in lexical if cid not in hits])
            rank = 0
            for cid, score in lexical:
                if cid in hits:
                    hit = hits[cid]
                elif cid in fetched and _allowed(fetched[cid][1], audience, doc_types):
                    hit = Hit(cid, fetched[cid][0], dict(fetched[cid][1]))
                    hits[cid] = hit
                else:
                    continue  # filtered out (audience / doc type)
                hit.bm25, hit.bm25_rank = score, rank
                rank += 1
                if rank >= n:
                    break
            timings["bm25"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        rrf = self.settings.rrf_k
        for hit in hits.values():
            score = 0.0
            if hit.dense_rank is not None:
                score += self.settings.dense_weight / (rrf + hit.dense_rank + 1)
            if hit.bm25_rank is not None:
                score += self.settings.bm25_weight / (rrf + hit.bm25_rank + 1)
            hit.score = score
        ranked = sorted(hits.values(), key=lambda h: h.score, reverse=True)[:k]
        timings["fusion"] = (time.perf_counter() - t) * 1000
        return Retrieval(ranked, qvec, timings)

    def _dense(
        self, qvec: np.ndarray, n: int, audience: str, doc_types: list[str] | None
    ) -> list[tuple[str, str, dict[str, Any], float]]:
        """The ``n`` nearest allowed chunks as (id, text, metadata, distance), nearest first.

        With a ``where`` filter Chroma's query time grew linearly with the index (44 ms at
        10k chunks, 428 ms at 100k) while plain HNSW stayed near 5-7 ms (docs/scaling.md).
        So HNSW is asked for ``dense_overfetch`` times as many candidates without a filter,
        and the filter runs in Python. Only when too few survive (a selective filter: a
        mostly internal corpus, a rare doc type) is the exact filtered query paid for. Both
        paths apply the same audience rule, so a caller never sees a chunk it may not see.
        """
        vectors = self.reader.vectors  # read once: a reload may replace it meanwhile
        if vectors is not None:
            # Exact search over the in-memory copy (assistant.vector_cache).
            key = (audience, tuple(doc_types or ()))
            return vectors.nearest(qvec, n, lambda m: _allowed(m, audience, doc_types), key)
        include = ["documents", "metadatas", "distances"]
        query = [qvec.tolist()]
        factor = self.settings.dense_overfetch
        if factor >= 1:
            wide = self.reader.chunks.query(query_embeddings=query, n_results=factor * n, include=include)
            rows = list(
                zip(wide["ids"][0], wide["documents"][0], wide["metadatas"][0], wide["distances"][0], strict=True)
            )
            kept = [row for row in rows if _allowed(row[2], audience, doc_types)]
            # Fewer rows than asked means the whole collection was returned: nothing was missed.
            if len(kept) >= n or len(rows) < factor * n:
                return kept[:n]
        res = self.reader.chunks.query(
            query_embeddings=query, n_results=n, where=_where(audience, doc_types), include=include
        )
        return list(zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0], strict=True))

    def units(self, hits: list[Hit]) -> list[Unit]:
        """The evidence units of the given chunks, with their stored vectors."""
        ids = [f"{h.chunk_id}#{i}" for h in hits for i in range(int(h.meta.get("n_units", 0)))]
        if not ids:
            return []
        vectors = self.reader.vectors
        if vectors is not None:
            found = vectors.units_of(ids)
        else:
            got = self.reader.sentences.get(ids=ids, include=["documents", "embeddings"])
            found = {
                uid: (doc, np.asarray(vec, dtype=np.float32))
                for uid, doc, vec in zip(got["ids"], got["documents"], got["embeddings"], strict=True)
            }
        out = []
        for uid, (doc, vec) in found.items():
            chunk_id, _, index = uid.rpartition("#")
            out.append(Unit(uid, chunk_id, int(index), doc, vec))
        # Each hit keeps its ordered unit texts, so an answer can quote a list after its "…:" lead-in.
        by_chunk: dict[str, list[Unit]] = {}
        for unit in out:
            by_chunk.setdefault(unit.chunk_id, []).append(unit)
        for hit in hits:
            hit.meta["_units"] = [u.text for u in sorted(by_chunk.get(hit.chunk_id, []), key=lambda u: u.index)]
        order = {h.chunk_id: i for i, h in enumerate(hits)}
        out.sort(key=lambda u: (order.get(u.chunk_id, 0), u.index))
        return out


def _allowed(meta: dict[str, Any], audience: str, doc_types: list[str] | None) -> bool:
    if meta.get("audience") not in visible_audiences(audience):
        return False
    return not doc_types or meta.get("doc_type") in doc_types
