"""Dense search filters audience and doc type in Python after an unfiltered HNSW query, and
falls back to Chroma's filtered query when too few candidates survive; a small index is also
searched exactly in memory (assistant.vector_cache). Every path must honour the filters exactly;
these tests use a small real index where one audience dominates a topic.
"""

from __future__ import annotations

import pytest

from assistant.index import IndexReader
from assistant.retriever import HybridRetriever, _where
from ingest.pipeline import run_ingest
from kringwijs.settings import Settings

TOPIC = "Hoeveel fietsenstallingen komen er bij het provinciehuis?"
PLACES = ["Utrecht", "Zeist", "Houten", "Nieuwegein", "Veenendaal", "Amersfoort", "Woerden", "Soest"]


def _doc(doc_id: str, audience: str, doc_type: str, heading: str, text: str) -> str:
    return (
        f"---\ntitle: {heading}\ndoc_id: {doc_id}\naudience: {audience}\ndoc_type: {doc_type}\n---\n"
        f"# {heading}\n\n{text}\n"
    )


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, model_home, embedder) -> Settings:
    """Eight internal notes on bicycle parking, two public ones on it, two public off-topic."""
    root = tmp_path_factory.mktemp("kw-filters")
    home, kb = root / "home", root / "knowledge"
    (home / "models").mkdir(parents=True)
    for model in (model_home / "models").iterdir():
        (home / "models" / model.name).symlink_to(model)
    kb.mkdir()
    for i, place in enumerate(PLACES):
        (kb / f"intern-{i}.md").write_text(
            _doc(
                f"intern-{i}",
                "internal",
                "note",
                f"Fietsenstalling {place}",
                f"Bij het provinciehuis in {place} komen {100 + i * 10} extra fietsenstallingen.",
            ),
            encoding="utf-8",
        )
    for i, place in enumerate(PLACES[:2]):
        (kb / f"publiek-fiets-{i}.md").write_text(
            _doc(
                f"publiek-fiets-{i}",
                "public",
                "document",
                f"Fietsparkeren {place}",
                f"De provincie plaatst in {place} fietsenstallingen bij haltes.",
            ),
            encoding="utf-8",
        )
    for i, text in enumerate(
        ["Biobased isolatie met hennep wordt getest in bouwprojecten.", "Het restafval moet in 2030 gehalveerd zijn."]
    ):
        (kb / f"publiek-ander-{i}.md").write_text(
            _doc(f"publiek-ander-{i}", "public", "guidance", f"Ander onderwerp {i}", text), encoding="utf-8"
        )
    settings = Settings(home=home, knowledge_dir=kb, candidates=3, top_k=3)
    report = run_ingest(settings, embedder=embedder)
    assert report.ok, report.failed
    return settings


def _retriever(settings: Settings, embedder, *, memory: bool = False, **overrides) -> HybridRetriever:
    """The Chroma paths by default (in-memory search switched off); ``memory=True``: the
    in-memory copy (from the generation's snapshot), waited for."""
    settings = settings.model_copy(update=overrides if memory else {"memory_search_max_vectors": 0, **overrides})
    reader = IndexReader(settings, memory_copy=memory)
    assert reader.wait_for_vectors() == memory
    return HybridRetriever(reader, embedder, settings)


def _dense_ids(settings: Settings, embedder, *, memory: bool = False, **kwargs) -> list[str]:
    hits = _retriever(settings, embedder, memory=memory).retrieve(TOPIC, mode="dense", **kwargs).hits
    return [h.chunk_id for h in hits]


def test_public_caller_never_gets_internal_chunks_and_falls_back_when_few_match(mixed: Settings, embedder) -> None:
    retriever = _retriever(mixed, embedder)
    # Precondition: the unfiltered over-fetch is all internal, so only the fallback can find public chunks.
    qvec = embedder.embed_query(TOPIC)
    wide = retriever.reader.chunks.query(query_embeddings=[qvec.tolist()], n_results=2 * 3, include=["metadatas"])
    assert {m["audience"] for m in wide["metadatas"][0]} == {"internal"}

    hits = retriever.retrieve(TOPIC, mode="dense", audience="public").hits
    assert hits and all(h.meta["audience"] == "public" for h in hits)
    assert len(hits) == 3  # four public chunks exist; the fallback still fills all three places
    assert {h.meta["doc_id"] for h in hits[:2]} == {"publiek-fiets-0", "publiek-fiets-1"}
    hybrid = retriever.retrieve(TOPIC, audience="public").hits
    assert all(h.meta["audience"] == "public" for h in hybrid)


def test_post_filter_returns_what_the_filtered_query_returns(mixed: Settings, embedder) -> None:
    reader = IndexReader(mixed)
    qvec = embedder.embed_query(TOPIC)
    for audience, doc_types in [("internal", None), ("internal", ["note"]), ("public", ["guidance"])]:
        exact = reader.chunks.query(
            query_embeddings=[qvec.tolist()], n_results=3, where=_where(audience, doc_types), include=["metadatas"]
        )["ids"][0]
        assert _dense_ids(mixed, embedder, audience=audience, doc_types=doc_types) == exact
        assert _dense_ids(mixed, embedder, audience=audience, doc_types=doc_types) == [
            h.chunk_id
            for h in _retriever(mixed, embedder, dense_overfetch=0)
            .retrieve(TOPIC, mode="dense", audience=audience, doc_types=doc_types)
            .hits
        ]


@pytest.mark.parametrize(
    ("audience", "doc_types"),
    [("public", None), ("internal", None), ("internal", ["note"]), ("public", ["guidance"]), ("public", ["note"])],
)
def test_in_memory_search_returns_what_the_filtered_query_returns(
    mixed: Settings, embedder, audience: str, doc_types: list[str] | None
) -> None:
    reader = IndexReader(mixed, memory_copy=False)
    qvec = embedder.embed_query(TOPIC)
    exact = reader.chunks.query(
        query_embeddings=[qvec.tolist()], n_results=3, where=_where(audience, doc_types), include=["metadatas"]
    )["ids"][0]
    assert _dense_ids(mixed, embedder, memory=True, audience=audience, doc_types=doc_types) == exact


def test_in_memory_units_are_the_stored_sentences(mixed: Settings, embedder) -> None:
    chroma, memory = _retriever(mixed, embedder), _retriever(mixed, embedder, memory=True)
    hits = chroma.retrieve(TOPIC, audience="internal").hits
    from_chroma, from_memory = chroma.units(hits), memory.units([*hits])
    assert [(u.id, u.text) for u in from_memory] == [(u.id, u.text) for u in from_chroma]
    assert all((a.vector == b.vector).all() for a, b in zip(from_memory, from_chroma, strict=True))


def test_no_memory_copy_past_the_limit(mixed: Settings) -> None:
    assert IndexReader(mixed.model_copy(update={"memory_search_max_vectors": 3})).wait_for_vectors() is False


def test_internal_caller_sees_both_audiences_and_doc_type_filter_holds(mixed: Settings, embedder) -> None:
    retriever = _retriever(mixed, embedder)
    internal = retriever.retrieve(TOPIC, mode="dense", audience="internal").hits
    assert {h.meta["audience"] for h in internal} == {"internal"}  # the internal notes are nearest
    guidance = retriever.retrieve(TOPIC, mode="dense", audience="internal", doc_types=["guidance"]).hits
    assert {h.meta["doc_id"] for h in guidance} == {"publiek-ander-0", "publiek-ander-1"}
    nothing = retriever.retrieve(TOPIC, mode="dense", audience="public", doc_types=["note"]).hits
    assert nothing == []


def test_in_memory_document_view_and_vocabulary_keep_the_audience_rule(mixed: Settings) -> None:
    memory = IndexReader(mixed)
    chroma = IndexReader(mixed.model_copy(update={"memory_search_max_vectors": 0}))
    assert memory.vectors is not None and chroma.vectors is None
    for doc_id, audience in [("intern-0", "public"), ("intern-0", "internal"), ("publiek-fiets-0", "public")]:
        assert memory.document(doc_id, audience) == chroma.document(doc_id, audience)
    assert memory.document("intern-0", "public") == []  # an internal note is never shown to the public
    assert len(memory.document("intern-0", "internal")) == 1
    for audience in ("public", "internal"):
        assert memory.vocabulary(audience)._terms == chroma.vocabulary(audience)._terms
    assert memory.vocabulary("internal").knows("houten")
    assert not memory.vocabulary("public").knows("houten")  # a place only internal notes name
