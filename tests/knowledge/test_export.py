"""Tender-ready export of a criteria selection: Markdown and Word (read back with python-docx)."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn

from knowledge.criteria_service import filter_criteria
from knowledge.export import TABLE_HEADER, export_docx, export_markdown
from knowledge.records import load_records


@pytest.fixture(scope="module")
def selection():
    records = load_records()
    chosen = filter_criteria(records, product_group="kantoormeubilair") + filter_criteria(
        records, product_group="bedrijfskleding", ambition=1
    )
    assert {c.criterion_type for c in chosen} >= {"geschiktheidseis", "minimumeis", "contractbepaling"}
    return chosen


def _body_blocks(doc) -> list[tuple[str, str]]:
    """The body in order as (tag, text): paragraphs and tables, as Word shows them."""
    blocks = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[1]
        if tag in ("p", "tbl"):
            blocks.append((tag, "".join(t.text or "" for t in child.iter(qn("w:t")))))
    return blocks


def _type_order(chosen):
    order = ["geschiktheidseis", "selectiecriterium", "minimumeis", "gunningscriterium", "contractbepaling"]
    return sorted(chosen, key=lambda c: (order.index(c.criterion_type), c.ambition, c.product_group, c.id))


def test_markdown_groups_by_type_and_ends_with_id_table(selection):
    md = export_markdown(selection, title="Selectie voor de test")
    assert md.startswith("# Selectie voor de test")
    assert "verantwoordelijk voor de definitieve tekst" in md
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Geschiktheidseisen",
        "## Minimumeisen",
        "## Gunningscriteria",
        "## Contractbepalingen",
        "## Overzicht van de geselecteerde criteria",
        "## Bijlage: herkomst van de criteria",
    ]
    for c in selection:
        assert f"### {c.id} – {c.title}" in md
    assert md.count("- Bewijsmiddel: ") == len(selection)
    assert "- Ambitieniveau: 3 (ambitieus)" in md
    # the id table follows the criteria; the provenance annex follows the table
    table = md.split("## Overzicht van de geselecteerde criteria\n\n", 1)[1].split("\n\n## ", 1)[0].splitlines()
    assert table[0] == "| " + " | ".join(TABLE_HEADER) + " |"
    rows = [line.split(" | ")[0].removeprefix("| ") for line in table[2:]]
    assert rows == [c.id for c in _type_order(selection)]


def test_markdown_lists_sources_once(selection):
    md = export_markdown(selection)
    sources = md.split("### Bronnen\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(sources) == len(set(sources))
    assert any("https://www.pianoo.nl/" in line for line in sources)


def test_docx_round_trip(selection, tmp_path):
    path = export_docx(selection, tmp_path / "uit" / "selectie.docx", title="Selectie meubilair")
    assert path.exists()
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Selectie meubilair"
    assert any("verantwoordelijk voor de definitieve tekst" in t for t in texts)
    assert sum(t.startswith("Bewijsmiddel: ") for t in texts) == len(selection)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Geschiktheidseisen",
        "Minimumeisen",
        "Gunningscriteria",
        "Contractbepalingen",
        "Overzicht van de geselecteerde criteria",
        "Bijlage: herkomst van de criteria",
    ]
    for c in selection:
        assert f"{c.id} – {c.title}" in texts

    table = doc.tables[-1]
    assert [cell.text for cell in table.rows[0].cells] == list(TABLE_HEADER)
    ordered = _type_order(selection)
    assert [row.cells[0].text for row in table.rows[1:]] == [c.id for c in ordered]
    assert table.rows[1].cells[2].text == ordered[0].criterion_type
    assert table.rows[1].cells[3].text.startswith(str(ordered[0].ambition))

    # the id table sits between the criteria and the annex
    blocks = _body_blocks(doc)
    table_at = next(i for i, (tag, _) in enumerate(blocks) if tag == "tbl")
    annex_at = blocks.index(("p", "Bijlage: herkomst van de criteria"))
    assert blocks[table_at - 1] == ("p", "Overzicht van de geselecteerde criteria")
    assert table_at < annex_at


def test_empty_selection_exports(tmp_path):
    assert "Er zijn geen criteria geselecteerd." in export_markdown([])
    doc = Document(str(export_docx([], tmp_path / "leeg.docx")))
    assert len(doc.tables[-1].rows) == 1


# Notes about where a criterion comes from: they belong in the annex, never in text a buyer pastes.
INTERNAL_NOTES = ("Gecontroleerd op", "indeling door Kringwijs", "Kringwijs", "Toelichting", "Afgeleid van")


def test_docx_is_a4_with_properties_header_and_page_x_of_y(selection, tmp_path):
    from datetime import date

    path = export_docx(selection, tmp_path / "a4.docx", title="Kantine 2026", today=date(2026, 3, 5))
    doc = Document(str(path))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    for margin in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin):
        assert 2.0 <= margin.cm <= 3.0
    assert round(section.left_margin.cm, 2) == 2.5

    props = doc.core_properties
    assert (props.title, props.author, props.last_modified_by) == (
        "Kantine 2026",
        "Provincie Utrecht",
        "Provincie Utrecht",
    )
    assert "aanbesteding" in props.subject
    assert props.language == "nl-NL"

    assert section.header.paragraphs[0].text == "Kantine 2026 — 5 maart 2026"
    footer = section.footer.paragraphs[0]._p
    instructions = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    visible = "".join(t.text for t in footer.iter(qn("w:t")))
    assert visible == "pagina 1 van 1"  # field placeholders; Word computes the real numbers
    kinds = [c.get(qn("w:fldCharType")) for c in footer.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2


def test_docx_criteria_section_is_clean_and_provenance_is_in_the_annex(selection, tmp_path):
    doc = Document(str(export_docx(selection, tmp_path / "schoon.docx")))
    blocks = _body_blocks(doc)
    first_type = blocks.index(("p", "Geschiktheidseisen"))
    table_heading = blocks.index(("p", "Overzicht van de geselecteerde criteria"))
    criteria_section = [text for _, text in blocks[first_type:table_heading]]
    for note in INTERNAL_NOTES:
        assert not [t for t in criteria_section if note in t], note
    # every criterion's text is there verbatim, as its own paragraph
    for c in selection:
        assert c.text in criteria_section

    annex = [text for _, text in blocks[blocks.index(("p", "Bijlage: herkomst van de criteria")) :]]
    assert any("geen letterlijke teksten uit de MVI-criteriatool" in t for t in annex)
    assert sum(t.startswith("Gecontroleerd op: ") for t in annex) == len(selection)
    noted = [c for c in selection if c.note]
    assert noted and all(f"Toelichting: {c.note}" in annex for c in noted)
    assert any("indeling door Kringwijs" in t for t in annex)
    assert any(t.startswith("Onderhoud MVI-criteria (https://www.pianoo.nl/") for t in annex)


def test_markdown_criteria_section_is_clean(selection):
    md = export_markdown(selection)
    criteria_section = md.split("## Geschiktheidseisen", 1)[1].split("## Overzicht van de geselecteerde criteria")[0]
    for note in INTERNAL_NOTES:
        assert note not in criteria_section, note
    annex = md.split("## Bijlage: herkomst van de criteria", 1)[1]
    assert annex.count("- Gecontroleerd op: ") == len(selection)
