"""A small generation's vectors are written beside Chroma at ingest (ingest.vector_snapshot);
readers load them without opening Chroma. The snapshot must hold exactly what Chroma holds,
a reader must never need Chroma for a question, and generations without one keep working."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.index import IndexReader
from assistant.retriever import HybridRetriever
from assistant.vector_cache import VectorCache
from ingest import vector_snapshot
from ingest.generation import read_current
from ingest.pipeline import run_ingest
from kringwijs.settings import Settings


def _write_doc(kb: Path, name: str, text: str) -> None:
    kb.mkdir(parents=True, exist_ok=True)
    (kb / f"{name}.md").write_text(f"---\ntitle: {name}\ndoc_id: {name}\n---\n# {name}\n\n{text}\n", encoding="utf-8")


def test_snapshot_holds_what_chroma_holds(settings: Settings, built_index) -> None:
    generation = read_current(settings)
    snap = vector_snapshot.read(generation.path)
    assert snap is not None
    reader = IndexReader(settings.model_copy(update={"memory_search_max_vectors": 0}))
    from_chroma = VectorCache.load(reader.chunks, reader.sentences)
    from_files = VectorCache.from_snapshot(snap)
    assert from_files.chunk_ids == from_chroma.chunk_ids
    assert from_files.chunk_docs == from_chroma.chunk_docs
    assert from_files.chunk_metas == from_chroma.chunk_metas
    assert np.array_equal(from_files.chunk_matrix, from_chroma.chunk_matrix)
    assert from_files.units.keys() == from_chroma.units.keys()
    for uid, (text, vector) in from_chroma.units.items():
        assert from_files.units[uid][0] == text
        assert np.array_equal(from_files.units[uid][1], vector)
    assert len(snap.chunk_ids) == generation.manifest["chunks"]
    assert len(snap.unit_ids) == generation.manifest["sentences"]


def test_a_question_never_opens_chroma(settings: Settings, embedder, built_index) -> None:
    reader = IndexReader(settings, memory_copy=False)
    assert reader.vectors is not None  # loaded at once from the snapshot, one-shot or not
    retriever = HybridRetriever(reader, embedder, settings)
    hits = retriever.retrieve("Hoeveel budget is er in 2026?").hits
    assert hits and retriever.units(hits)
    assert reader.fetch([hits[0].chunk_id])[hits[0].chunk_id][0] == hits[0].text
    public, internal = reader.vocabulary("public"), reader.vocabulary("internal")
    assert public.knows("budget") and internal.knows("budget")
    assert reader._collections == {}  # Chroma was never opened


def test_vocabulary_from_the_snapshot_equals_chromas(settings: Settings, built_index) -> None:
    snap_reader = IndexReader(settings)
    chroma_reader = IndexReader(settings.model_copy(update={"memory_search_max_vectors": 0}))
    for audience in ("public", "internal"):
        assert snap_reader.vocabulary(audience)._terms == chroma_reader.vocabulary(audience)._terms


def test_generation_without_snapshot_and_large_ones(fresh_home: Settings, embedder) -> None:
    kb = fresh_home.knowledge_dir
    _write_doc(kb, "fiets", "De provincie plaatst fietsenstallingen bij haltes. Er komen er honderd bij.")
    _write_doc(kb, "afval", "Het restafval moet in 2030 gehalveerd zijn.")
    # Past the in-memory limit: no snapshot, searches go to Chroma.
    small_limit = fresh_home.model_copy(update={"memory_search_max_vectors": 3})
    assert run_ingest(small_limit, embedder=embedder).ok
    generation = read_current(fresh_home)
    assert not (generation.path / vector_snapshot.ARRAYS).exists()
    assert IndexReader(small_limit).wait_for_vectors() is False
    # A generation written before snapshots: a server still copies it out of Chroma, a
    # one-shot reader does not bother.
    assert IndexReader(fresh_home, memory_copy=False).wait_for_vectors(timeout=0.5) is False
    reader = IndexReader(fresh_home)
    assert reader.wait_for_vectors() is True
    hits = HybridRetriever(reader, embedder, fresh_home).retrieve("fietsenstallingen").hits
    assert hits[0].meta["doc_id"] == "fiets"
    # A damaged pair (one file missing) is ignored, not trusted.
    assert run_ingest(fresh_home, embedder=embedder, rebuild=True).ok
    generation = read_current(fresh_home)
    assert vector_snapshot.read(generation.path) is not None
    (generation.path / vector_snapshot.TEXTS).unlink()
    assert vector_snapshot.read(generation.path) is None
    assert IndexReader(fresh_home).wait_for_vectors() is True  # copied from Chroma instead


@pytest.mark.parametrize("command", [["ask", "Hoeveel budget is er in 2026?"], ["search", "biobased isoleren"]])
def test_one_shot_commands_do_not_import_chromadb(settings: Settings, built_index, command: list[str]) -> None:
    code = f"""
import json, sys
from cli.main import main
main({command!r})
print(json.dumps("chromadb" in sys.modules))
"""
    env = {**os.environ, "KRINGWIJS_HOME": str(settings.home_dir)}
    env.pop("KRINGWIJS_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) is False


def test_source_view_from_the_snapshot_equals_chromas(settings: Settings, embedder, built_index) -> None:
    from assistant.service import Assistant

    from_files = Assistant(settings, embedder)
    from_chroma = Assistant(settings.model_copy(update={"memory_search_max_vectors": 0}), embedder)
    assert from_files.reader.vectors is not None and from_chroma.reader.vectors is None
    hit = from_files.search("Hoeveel budget is er in 2026?", k=1)[0]
    doc_id, chunk_id = hit["doc_id"], hit["chunk_id"]
    for audience in ("public", "internal"):
        view = from_files.source(doc_id, chunk_id, audience=audience)
        assert view is not None and view == from_chroma.source(doc_id, chunk_id, audience=audience)
    assert from_files.source("no-such-document", audience="public") is None
    assert from_files.reader._collections == {}
