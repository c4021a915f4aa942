"""Structure-aware chunking of the bundled policy document."""

from pathlib import Path

from ingest.chunking import chunk_document, render_row
from ingest.loaders.markdown import load_markdown
from ingest.sentences import split_sentences
from kringwijs.settings import BUNDLED_KNOWLEDGE

POLICY = BUNDLED_KNOWLEDGE / "documents" / "uitvoeringsagenda-circulaire-samenleving-2025-2027.md"


def _chunks():
    return chunk_document(load_markdown(POLICY, doc_id="x", source="y"))


def test_front_matter_sets_document_fields():
    doc = load_markdown(POLICY, doc_id="fallback", source="fallback")
    assert doc.doc_id == "uitvoeringsagenda-cs-2025-2027"
    assert doc.audience == "public"
    assert doc.publisher == "Provincie Utrecht"


def test_action_stays_with_its_result_and_effect():
    actions = [c for c in _chunks() if c.section.split(" > ")[-1].startswith("Actie")]
    assert len(actions) >= 40
    kwartiermaker = next(c for c in actions if "Kwartiermaker" in c.text)
    assert "Beoogd resultaat" in kwartiermaker.text and "Verwacht effect" in kwartiermaker.text
    assert kwartiermaker.section.startswith("Thema 1")


def test_every_table_row_repeats_the_headers():
    rows = [c for c in _chunks() if c.kind == "table_row"]
    assert len(rows) == 11
    vth = next(c for c in rows if c.text.startswith("VTH"))
    assert vth.text == "VTH — Budget 2025: € 300.000; Budget 2026 en 2027: € 400.000"
    assert vth.pages == [21]
    assert all("Budget 2025" in c.text for c in rows)


def test_chunks_carry_pages_sections_and_stable_ids():
    first, second = _chunks(), _chunks()
    assert [c.id for c in first] == [c.id for c in second]
    assert all(c.pages for c in first)
    assert all(c.section for c in first)
    meta = first[0].metadata()
    for key in ("doc_id", "title", "section", "page", "audience", "doc_type", "source", "content_hash"):
        assert key in meta


def test_footnotes_are_their_own_chunks():
    notes = [c for c in _chunks() if c.kind == "footnote"]
    assert len(notes) == 6
    assert any("BIG-8" in c.text for c in notes)


def test_markdown_emphasis_is_not_quoted():
    # The source's own footnote asterisks ("vrij besteedbaar**") stay; Markdown bold goes.
    assert not any("**Beoogd" in u or "**Verwacht" in u for c in _chunks() for u in c.units)


def test_sentence_splitter_keeps_abbreviations_and_amounts():
    text = "Deze kwartiermaker ontwikkelt o.a. een werkwijze. Er is € 2.000.000 beschikbaar, d.w.z. per jaar. Daarna volgt de uitvoering!"
    assert split_sentences(text) == [
        "Deze kwartiermaker ontwikkelt o.a. een werkwijze.",
        "Er is € 2.000.000 beschikbaar, d.w.z. per jaar.",
        "Daarna volgt de uitvoering!",
    ]


def test_render_row_skips_empty_cells():
    assert render_row(["Onderwerp", "A", "B"], ["X", "€ 1", ""]) == "X — A: € 1"


def test_unknown_markdown_without_front_matter(tmp_path: Path):
    path = tmp_path / "note.md"
    path.write_text("# Notitie\n\nEen alinea.\n\n## Kop\n\n- punt een\n- punt twee\n", encoding="utf-8")
    doc = load_markdown(path, doc_id="note", source=str(path))
    chunks = chunk_document(doc)
    assert doc.title == "Notitie"
    assert any(c.units == ["punt een", "punt twee"] for c in chunks)


def test_a_long_list_item_is_split_on_sentences_within_the_budget():
    from ingest.models import Block, Document

    item = " ".join(f"Zin {i} gaat over circulaire inkoop in gemeente nummer {i} van de regio." for i in range(60))
    doc = Document(
        doc_id="d",
        title="T",
        source="s",
        blocks=[Block(text=f"- {item}", heading_path=["T", "Lijst"], pages=[4], kind="list")],
    )
    chunks = chunk_document(doc, max_chars=1000)
    assert len(chunks) > 3
    assert all(len(c.text) <= 1000 for c in chunks)
    assert all(c.pages == [4] and c.section == "Lijst" for c in chunks)
    assert " ".join(c.text for c in chunks) == item
