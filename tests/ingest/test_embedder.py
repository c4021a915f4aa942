"""Bulk passage embedding uses all cores (and bf16 where the CPU has it) without changing
what the vectors say, and leaves the one-thread query setting as it found it."""

from __future__ import annotations

import numpy as np
import torch

from ingest.embedder import Embedder
from kringwijs.settings import Settings

PASSAGES = [
    "In 2026 gaat er € 400.000 naar vergunningverlening, toezicht en handhaving (VTH).",
    "Biobased isolatie met hennep wordt getest in bouwprojecten in Veenendaal.",
    "De provincie stelt bij de inkoop van laptops eisen aan reparatie en hergebruik.",
    "Het restafval moet in 2030 gehalveerd zijn tot 50 kilo per inwoner.",
]


def test_bulk_embedding_restores_the_query_thread_count(settings: Settings) -> None:
    embedder = Embedder(settings.model_copy(update={"ingest_threads": 2}))
    _ = embedder.model
    assert torch.get_num_threads() == settings.torch_threads
    embedder.embed_passages(PASSAGES)
    assert torch.get_num_threads() == settings.torch_threads


def test_bf16_passage_vectors_match_float32(settings: Settings) -> None:
    fp32 = Embedder(settings.model_copy(update={"ingest_precision": "float32"}))
    bf16 = Embedder(settings.model_copy(update={"ingest_precision": "bfloat16"}))
    a, b = fp32.embed_passages(PASSAGES), bf16.embed_passages(PASSAGES)
    assert a.dtype == b.dtype == np.float32
    assert float(np.min(np.sum(a * b, axis=1))) > 0.999
    query = fp32.embed_query("Hoeveel geld gaat er in 2026 naar VTH?")
    assert np.argsort(-(a @ query)).tolist() == np.argsort(-(b @ query)).tolist()
