"""The query encoders side by side, one process, one thread each: torch + sentence-transformers,
ONNX Runtime fp32 and ONNX Runtime int8, on the standalone dev questions.

Each question is encoded once per encoder (the LRU query cache is bypassed), after a warm-up.
Reported: p50/p95 per encoder and the cosine of each ONNX vector to the torch one.

Usage::

    python -m bench.encoder_bench --out r.json [--threads 1]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import bench_home, dev_cases, peak_rss_mb, stats, write_json

BACKENDS = ("torch", "onnx-fp32", "onnx-int8")


def run(threads: int, warmup: int) -> dict[str, Any]:
    from ingest.embedder import Embedder

    settings = bench_home("encoders").model_copy(update={"torch_threads": threads})
    questions = [settings.query_prefix + c.question.strip() for c in dev_cases()]
    result: dict[str, Any] = {"questions": len(questions), "threads": threads, "encoders": {}}
    vectors: dict[str, np.ndarray] = {}
    for backend in BACKENDS:
        embedder = Embedder(settings.model_copy(update={"embedding_backend": backend}))
        started = time.perf_counter()
        if embedder.uses_onnx:
            session = embedder._session(threads)  # the query session, without the LRU in front

            def encode(text: str, session: Any = session) -> np.ndarray:
                return session.encode([text])[0]
        else:
            model = embedder.model

            def encode(text: str, model: Any = model) -> np.ndarray:
                return model.encode([text], normalize_embeddings=True, show_progress_bar=False)[0]

        load_s = time.perf_counter() - started
        for text in questions[:warmup]:
            encode(text)
        times, out = [], []
        for text in questions:
            t = time.perf_counter()
            out.append(encode(text))
            times.append((time.perf_counter() - t) * 1000)
        vectors[backend] = np.stack(out).astype(np.float32)
        result["encoders"][backend] = {"load_s": round(load_s, 2), "encode_ms": stats(times)}
    for backend in BACKENDS[1:]:
        cos = np.sum(vectors[backend] * vectors["torch"], axis=1)
        result["encoders"][backend]["cosine_to_torch"] = {
            "mean": round(float(cos.mean()), 4),
            "min": round(float(cos.min()), 4),
        }
    torch_p50 = result["encoders"]["torch"]["encode_ms"]["p50"]
    for backend in BACKENDS[1:]:
        p50 = result["encoders"][backend]["encode_ms"]["p50"]
        result["encoders"][backend]["speedup_p50_vs_torch"] = round(torch_p50 / p50, 2)
    result["peak_rss_mb_in_process"] = peak_rss_mb()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_json(args.out, run(args.threads, args.warmup))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
