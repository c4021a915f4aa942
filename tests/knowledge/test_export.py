"""Tender-ready export of a criteria selection: Markdown and Word (read back with python-docx)."""

from __future__ import annotations

import pytest
from docx import Document

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
        "## Bronnen",
        "## Overzicht van de geselecteerde criteria",
    ]
    for c in selection:
        assert f"### {c.id} – {c.title}" in md
    assert md.count("- Bewijsmiddel: ") == len(selection)
    assert "- Ambitieniveau: 3 (ambitieus)" in md
    # the id table is the last thing in the document
    table = md.rstrip("\n").split("## Overzicht van de geselecteerde criteria\n\n", 1)[1].splitlines()
    assert table[0] == "| " + " | ".join(TABLE_HEADER) + " |"
    rows = [line.split(" | ")[0].removeprefix("| ") for line in table[2:]]
    assert rows == [c.id for c in _type_order(selection)]


def test_markdown_lists_sources_once(selection):
    md = export_markdown(selection)
    sources = md.split("## Bronnen\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
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
    assert headings[:4] == ["Geschiktheidseisen", "Minimumeisen", "Gunningscriteria", "Contractbepalingen"]
    for c in selection:
        assert f"{c.id} – {c.title}" in texts

    table = doc.tables[-1]
    assert [cell.text for cell in table.rows[0].cells] == list(TABLE_HEADER)
    ordered = _type_order(selection)
    assert [row.cells[0].text for row in table.rows[1:]] == [c.id for c in ordered]
    assert table.rows[1].cells[2].text == ordered[0].criterion_type
    assert table.rows[1].cells[3].text.startswith(str(ordered[0].ambition))

    # the table is the last block of the document body (only section properties follow)
    body = [child.tag.rsplit("}", 1)[1] for child in doc.element.body.iterchildren()]
    assert body[-2:] == ["tbl", "sectPr"]


def test_empty_selection_exports(tmp_path):
    assert "Er zijn geen criteria geselecteerd." in export_markdown([])
    doc = Document(str(export_docx([], tmp_path / "leeg.docx")))
    assert len(doc.tables[-1].rows) == 1
