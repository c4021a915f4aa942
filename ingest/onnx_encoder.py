"""The e5 encoder on ONNX Runtime: SentencePiece + onnxruntime + numpy, no torch.

Importing sentence-transformers imports torch (about 9 s of a cold ``kringwijs ask``), and
the exported graph computes the same vectors (cosine 1.0000 to torch for fp32). This module
therefore must never import torch, transformers or sentence-transformers.

Usage::

    encoder = OnnxEncoder(folder / "model.int8.onnx", folder / "tokenizer.spm.model", threads=1)
    vectors = encoder.encode(["query: Hoeveel geld gaat naar VTH?"])   # (1, 384), L2-normalised
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from threading import Thread

import numpy as np

MAX_TOKENS = 512  # the e5 position table; longer passages are truncated, as sentence-transformers does
# Rows x padded length per ONNX run. Attention memory grows with batch x length², and ONNX
# Runtime's arena keeps its peak: one batch of 32 passages of 512 tokens took the process to
# 3.7 GB (the OOM killer ended parallel ingests); in runs of 4,096 tokens it peaked at 1.3 GB.
TOKENS_PER_RUN = 4096


class OnnxEncoder:
    """One ONNX Runtime session with a fixed thread count: mean pooling and L2 norm as e5 expects."""

    def __init__(self, model: Path, tokenizer: Path, *, threads: int = 1) -> None:
        import onnxruntime as ort

        from ingest.spm_tokenizer import SpmTokenizer

        self.threads = max(1, int(threads))
        # Truncated to the e5 position table, as sentence-transformers does; padding is done
        # here, per batch, to the longest member. Loading it (0.4 s) and creating the session
        # (0.4 s) both release the GIL, so the tokenizer loads on a second thread meanwhile:
        # this is on the path of every cold `kringwijs ask`.
        loaded: list[SpmTokenizer] = []
        failed: list[BaseException] = []

        def load_tokenizer() -> None:
            try:
                loaded.append(SpmTokenizer(tokenizer, max_tokens=MAX_TOKENS))
            except BaseException as exc:  # raised again below, on the caller's thread
                failed.append(exc)

        loader = Thread(target=load_tokenizer, name="kringwijs-tokenizer")
        loader.start()
        options = ort.SessionOptions()
        # Quiet: ONNX Runtime's own warnings (e.g. about unused initialisers) would reach stderr.
        options.log_severity_level = 3
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        if self.threads > 1:
            # Idle workers spin by default. On a 2-core host shared with API workers (and other
            # jobs) that spinning burnt CPU: with 2 threads under load a passage cost about twice
            # the CPU seconds of a one-thread encode (docs/scaling.md).
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            self.session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
        finally:
            loader.join()
        if failed:
            raise failed[0]
        self.tokenizer = loaded[0]
        self.pad_id = self.tokenizer.pad_id
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str], max_tokens: int | None = None) -> np.ndarray:
        """L2-normalised mean-pooled vectors (float32), one row per text, in the given order;
        each text is read up to ``max_tokens`` (default and ceiling: ``MAX_TOKENS``)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(texts, max_tokens)
        parts, start = [], 0
        while start < len(encodings):
            end, width = start, 0
            while end < len(encodings):
                wider = max(width, len(encodings[end]))
                if end > start and wider * (end - start + 1) > TOKENS_PER_RUN:
                    break
                width, end = wider, end + 1
            parts.append(self._run(encodings[start:end]))
            start = end
        return np.concatenate(parts)

    def _run(self, encodings: list[list[int]]) -> np.ndarray:
        width = max(len(e) for e in encodings)
        ids = np.full((len(encodings), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc)] = enc
            mask[row, : len(enc)] = 1
        (hidden,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
