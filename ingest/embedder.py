"""Sentence-transformers embeddings with the e5 ``query: `` / ``passage: `` prefixes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from functools import cache
from threading import Lock

import numpy as np

from ingest.model_prep import resolve_model
from kringwijs.settings import Settings

ProgressFn = Callable[[int], None]


@cache
def native_bf16() -> bool:
    """True when the CPU computes bfloat16 natively; emulated bf16 is slower than float32."""
    import torch

    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")  # private, hence the getattr
    return any(bool(getattr(torch.cpu, name, lambda: False)()) for name in checks)


class Embedder:
    """Loads the model lazily; caches query vectors because users repeat questions."""

    def __init__(self, settings: Settings, query_cache_size: int = 1024) -> None:
        self.settings = settings
        self._model = None
        self._lock = Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size

    @property
    def name(self) -> str:
        return self.settings.embedding_model

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import torch
                    from sentence_transformers import SentenceTransformer

                    # Queries by default (see Settings.torch_threads); bulk passage
                    # embedding switches to Settings.ingest_threads while it runs.
                    torch.set_num_threads(self.settings.torch_threads)
                    self._model = SentenceTransformer(resolve_model(self.settings), device="cpu")
        return self._model

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    @contextmanager
    def _bulk(self) -> Iterator[None]:
        """All cores (and bf16 where the CPU has it) for one long passage job.

        Profiling the ingest (py-spy) put two thirds of the time in float32 matrix
        multiplies, run on one thread. The query thread count is restored afterwards.
        """
        import torch

        _ = self.model  # load first: loading sets the query thread count, restored below
        before = torch.get_num_threads()
        torch.set_num_threads(max(1, self.settings.ingest_threads))
        # One autocast context for the whole job, so the bf16 weight copies are made once.
        precision = torch.autocast("cpu", dtype=torch.bfloat16) if self.bulk_bf16 else nullcontext()
        try:
            with precision:
                yield
        finally:
            torch.set_num_threads(before)

    @property
    def bulk_bf16(self) -> bool:
        """Whether passages are embedded under bfloat16 autocast (see Settings.ingest_precision)."""
        if self.settings.ingest_precision != "auto":
            return self.settings.ingest_precision == "bfloat16"
        return native_bf16()

    def embed_passages(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        prefix = self.settings.passage_prefix
        batch = self.settings.embed_batch_size
        # Sorting by length keeps padding (wasted work) low inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        with self._bulk():
            for start in range(0, len(order), batch):
                idx = order[start : start + batch]
                vectors = self.model.encode(
                    [prefix + texts[i] for i in idx],
                    batch_size=batch,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
                out[idx] = vectors
                if progress:
                    progress(len(idx))
        return out

    def embed_query(self, text: str) -> np.ndarray:
        key = text.strip()
        with self._lock:  # API answers run in parallel threads; the LRU must not race
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        vector = self.model.encode(
            [self.settings.query_prefix + key],
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )[0].astype(np.float32)
        with self._lock:
            self._cache[key] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector
