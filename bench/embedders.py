"""Embedders for the benchmarks, all with the ``Embedder`` interface the IndexWriter uses.

- ``TimingEmbedder`` wraps the real one and records every ``embed_passages`` call;
- ``ReplayEmbedder`` hands out vectors an earlier real ingest stored (to load a Chroma
  server with the same index without paying for the model twice);
- ``SyntheticEmbedder`` makes realistic stand-in vectors for the 100k-chunk index: mixes of
  two real passage vectors plus a little noise, so the vectors cluster like real e5
  vectors do (uniform random vectors would be an unrealistically hard case for HNSW).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from kringwijs.settings import Settings

ProgressFn = Callable[[int], None]


class TimingEmbedder:
    """Delegates to ``inner``; ``calls`` holds (texts, seconds, total characters) per call."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[tuple[int, float, int]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def embed_passages(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        started = time.perf_counter()
        out = self.inner.embed_passages(texts, progress=progress)
        self.calls.append((len(texts), time.perf_counter() - started, sum(len(t) for t in texts)))
        return out


def stored_vectors(settings: Settings) -> dict[str, np.ndarray]:
    """Embedded text -> vector for every chunk and evidence unit of the live generation."""
    from assistant.index import IndexReader

    reader = IndexReader(settings)
    out: dict[str, np.ndarray] = {}
    for collection, is_chunks in ((reader.chunks, True), (reader.sentences, False)):
        total = collection.count()
        for offset in range(0, total, 5000):
            page = collection.get(limit=5000, offset=offset, include=["documents", "metadatas", "embeddings"])
            for doc, meta, vec in zip(page["documents"], page["metadatas"], page["embeddings"], strict=True):
                section = str(meta.get("section", "")) if is_chunks else ""
                # The writer embeds Chunk.embed_text: the heading path, a newline, then the text.
                out[f"{section}\n{doc}" if section else doc] = np.asarray(vec, dtype=np.float32)
    return out


class ReplayEmbedder:
    """Vectors from earlier ingests; texts never seen before go to ``fallback`` (counted)."""

    def __init__(self, vectors: dict[str, np.ndarray], fallback: Any) -> None:
        self.vectors = vectors
        self.fallback = fallback
        self.encoder = fallback.encoder  # replayed vectors come from the same encoder
        self.misses = 0

    def embed_passages(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        missing = [t for t in texts if t not in self.vectors]
        if missing:
            self.misses += len(missing)
            self.vectors.update(zip(missing, self.fallback.embed_passages(missing), strict=True))
        if progress:
            progress(len(texts))
        return np.stack([self.vectors[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.fallback.embed_query(text)


class SyntheticEmbedder:
    """Deterministic stand-in vectors: normalise(0.7·a + 0.3·b + noise) for two real vectors a, b."""

    def __init__(self, base: np.ndarray, noise: float = 0.08, seed: int = 11, encoder: str = "") -> None:
        self.base = base.astype(np.float32)
        self.noise = noise
        self.seed = seed
        # Stand-ins for the real encoder's vectors, queried with it: the manifest names that encoder.
        self.encoder = encoder

    @classmethod
    def from_settings(cls, *homes: Settings) -> SyntheticEmbedder:
        from ingest.embedder import encoder_id

        vectors = [v for home in homes for v in stored_vectors(home).values()]
        return cls(np.stack(vectors), encoder=encoder_id(homes[0]))

    def embed_passages(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        n, dim = len(self.base), self.base.shape[1]
        hashes = [int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little") for t in texts]
        first = np.array([h % n for h in hashes])
        second = np.array([(h >> 24) % n for h in hashes])
        rng = np.random.default_rng([self.seed, len(texts), hashes[0] if hashes else 0])
        noise = rng.standard_normal((len(texts), dim)).astype(np.float32) * (self.noise / np.sqrt(dim))
        out = 0.7 * self.base[first] + 0.3 * self.base[second] + noise
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        if progress:
            progress(len(texts))
        return out.astype(np.float32)
