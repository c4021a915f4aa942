"""Word (.docx) documents written with python-docx and read back by the loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.loaders.errors import LoadError
from ingest.loaders.word import load_docx
from ingest.sources import discover


def _write(path: Path, *, page_break: bool = True) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Werkplan Circulair 2026"
    document.add_heading("Werkplan Circulair 2026", level=0)
    document.add_heading("Inzameling", level=1)
    document.add_paragraph("De gemeente Houten zamelt vanaf maart matrassen apart in.")
    document.add_heading("Textiel", level=2)
    document.add_paragraph("Containers staan bij elke supermarkt.", style="List Bullet")
    document.add_paragraph("Inwoners krijgen een tas voor kleding.", style="List Bullet")
    if page_break:
        document.add_page_break()
    document.add_heading("Financiën", level=1)
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [["Onderdeel", "2026", "2027"], ["Matrassen", "€ 20.000", "€ 25.000"], ["Textiel", "€ 8.000", "€ 9.500"]],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.save(str(path))
    return path


def test_headings_lists_tables_and_pages(tmp_path: Path) -> None:
    doc = load_docx(_write(tmp_path / "werkplan.docx"), doc_id="w", source="s")
    assert doc.title == "Werkplan Circulair 2026" and doc.doc_type == "docx"
    chunks = chunk_document(doc)
    houten = next(c for c in chunks if "Houten" in c.text)
    assert houten.section == "Inzameling" and houten.pages == [1]
    textiel = next(c for c in chunks if "supermarkt" in c.text)
    assert textiel.section == "Inzameling > Textiel"
    assert textiel.units == ["Containers staan bij elke supermarkt.", "Inwoners krijgen een tas voor kleding."]
    rows = [c for c in chunks if c.kind == "table_row"]
    assert [c.text for c in rows] == [
        "Matrassen — 2026: € 20.000; 2027: € 25.000",
        "Textiel — 2026: € 8.000; 2027: € 9.500",
    ]
    assert all(c.pages == [2] and c.section == "Financiën" for c in rows)


def test_without_page_information_no_page_is_invented(tmp_path: Path) -> None:
    doc = load_docx(_write(tmp_path / "zonder.docx", page_break=False), doc_id="w", source="s")
    assert all(block.pages == [] for block in doc.blocks)


def test_broken_docx_and_word_lock_files(tmp_path: Path) -> None:
    bad = tmp_path / "kapot.docx"
    bad.write_bytes(b"dit is geen zip")
    with pytest.raises(LoadError, match="Word-bestand"):
        load_docx(bad, doc_id="w", source="s")
    (tmp_path / "~$kapot.docx").write_bytes(b"lock")
    units, skipped = discover(tmp_path)
    assert [Path(u.files[0]).name for u in units] == ["kapot.docx"] and not skipped


def test_cli_indexes_a_word_file_and_cites_its_table_row(fresh_home, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    fresh_home.knowledge_dir.mkdir(parents=True)
    path = _write(tmp_path / "werkplan.docx")
    env = {
        **os.environ,
        "KRINGWIJS_HOME": str(fresh_home.home),
        "KRINGWIJS_KNOWLEDGE_DIR": str(fresh_home.knowledge_dir),
    }
    run = [sys.executable, "-m", "cli"]
    proc = subprocess.run([*run, "ingest", str(path)], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "toegevoegd" in proc.stdout and "niet ondersteund" not in proc.stderr
    proc = subprocess.run(
        [*run, "search", "matrassen budget 2027", "--json"], env=env, capture_output=True, text=True, timeout=300
    )
    import json

    hits = json.loads(proc.stdout)
    assert hits[0]["text"] == "Matrassen — 2026: € 20.000; 2027: € 25.000" and hits[0]["page"] == 2
