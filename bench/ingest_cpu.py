"""Passage embedding cost per encoder in CPU seconds, one thread each, interleaved in one process.

On a shared machine wall time mostly measures the neighbours; CPU time of a one-thread encode
does not (with several intra-op threads, ONNX Runtime's spinning workers would count as CPU
time too, hence one thread). Texts: the first chunks of the bundled index, as ingest embeds them.

Usage::

    python -m bench.ingest_cpu --home ingest-bundled --chunks 40 --out r.json
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

from bench.common import bench_home, write_json

VARIANTS = {
    "torch-fp32": {"embedding_backend": "torch", "ingest_precision": "float32"},
    "torch-bf16": {"embedding_backend": "torch", "ingest_precision": "bfloat16"},
    "onnx-fp32": {"embedding_backend": "onnx-fp32"},
    "onnx-int8": {"embedding_backend": "onnx-int8"},
}


def run(home: str, n: int) -> dict[str, Any]:
    from assistant.index import IndexReader
    from ingest.embedder import Embedder

    settings = bench_home(home).model_copy(update={"ingest_threads": 1, "torch_threads": 1})
    got = IndexReader(settings).chunks.get(include=["documents", "metadatas"])
    pairs = zip(got["documents"], got["metadatas"], strict=True)
    texts = [f"{m['section']}\n{d}" if m.get("section") else d for d, m in pairs][:n]
    encoders = {name: Embedder(settings.model_copy(update=update)) for name, update in VARIANTS.items()}
    for embedder in encoders.values():
        embedder.embed_passages(texts[:2])  # load and warm up
    cpu = dict.fromkeys(encoders, 0.0)
    for start in range(0, len(texts), 10):  # interleaved, so a noisy minute hits every variant
        for name, embedder in encoders.items():
            began = time.process_time()
            embedder.embed_passages(texts[start : start + 10])
            cpu[name] += time.process_time() - began
    return {
        "chunks": len(texts),
        "avg_chars": sum(map(len, texts)) // max(1, len(texts)),
        "load_1m": round(os.getloadavg()[0], 2),
        "cpu_s": {k: round(v, 2) for k, v in cpu.items()},
        "chunks_per_cpu_s": {k: round(len(texts) / v, 2) for k, v in cpu.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", default="ingest-bundled")
    parser.add_argument("--chunks", type=int, default=40)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_json(args.out, run(args.home, args.chunks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
