"""Layout-aware PDF loading on real PDFs that the tests lay out themselves (reportlab)."""

from __future__ import annotations

from pathlib import Path

import pdf_samples
import pytest

from ingest.chunking import chunk_document
from ingest.loaders.errors import LoadError
from ingest.loaders.pdf import load_pdf
from ingest.loaders.pdf_text import join_lines
from kringwijs.settings import BUNDLED_KNOWLEDGE

POLICY_MD = BUNDLED_KNOWLEDGE / "documents" / "uitvoeringsagenda-circulaire-samenleving-2025-2027.md"


def _load(path: Path):
    return load_pdf(path, doc_id="doc", source=str(path))


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdfs")
    pdf_samples.report_pdf(folder / "report.pdf")
    pdf_samples.two_column_pdf(folder / "columns.pdf")
    pdf_samples.hyphenated_pdf(folder / "hyphens.pdf")
    pdf_samples.labelled_pdf(folder / "labels.pdf")
    pdf_samples.encrypted_copy(folder / "report.pdf", folder / "encrypted.pdf")
    pdf_samples.encrypted_copy(folder / "report.pdf", folder / "password.pdf", user_password="geheim")
    return folder


@pytest.fixture(scope="module", params=[1, 2], ids=["one-column", "two-columns"])
def policy_chunks(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("policy")
    path = pdf_samples.policy_pdf(POLICY_MD, folder / "uitvoeringsagenda.pdf", columns=request.param)
    return chunk_document(_load(path))


def test_running_header_and_footer_are_dropped(samples: Path) -> None:
    doc = _load(samples / "report.pdf")
    text = "\n".join(b.text for b in doc.blocks)
    assert "Pagina" not in text and "Nota Grondstoffen 2026 ·" not in text and "·" not in text
    assert "1200 ton bouwafval" in text


def test_bordered_table_becomes_rows_with_headers(samples: Path) -> None:
    chunks = chunk_document(_load(samples / "report.pdf"))
    rows = [c for c in chunks if c.kind == "table_row"]
    assert [c.text for c in rows] == [
        "Depot Amersfoort — Budget 2026: € 120.000; Budget 2027: € 140.000",
        "Reparatiecafés — Budget 2026: € 35.000; Budget 2027: € 45.000",
        "Toezicht en handhaving — Budget 2026: € 210.000; Budget 2027: € 260.000",
    ]
    assert all(c.pages == [2] and c.section == "Financiën" for c in rows)
    # The cells are not repeated as flattened text elsewhere.
    assert not any("€ 140.000" in c.text for c in chunks if c.kind != "table_row")


def test_headings_by_font_give_the_section_path(samples: Path) -> None:
    chunks = chunk_document(_load(samples / "report.pdf"))
    depot = next(c for c in chunks if "Amersfoort verwerkt" in c.text)
    assert depot.section == "Aanpak" and depot.title == "Nota Grondstoffen 2026"


def test_a_page_that_starts_with_bullets_is_split_into_items(samples: Path) -> None:
    doc = _load(samples / "report.pdf")
    items = [b for b in doc.blocks if b.kind == "list"]
    assert [b.pages for b in items] == [[3], [3]]
    assert items[0].text == "- de kringloopwinkel in Houten opent een reparatiecafé voor elektrische apparaten."
    monitoring = next(b for b in doc.blocks if "voortgangsbrief" in b.text)
    assert monitoring.heading_path[-1] == "Monitoring" and "hennep" not in monitoring.text


def test_two_columns_are_read_one_after_the_other(samples: Path) -> None:
    doc = _load(samples / "columns.pdf")
    texts = [b.text for b in doc.blocks]
    left = next(t for t in texts if "linkerkolom" in t)
    right = next(t for t in texts if "rechterkolom" in t)
    assert "supermarkt" in left and "kilo textiel" in left and "Nieuwegein" not in left
    assert "kozijnen" in right and "twee keer per jaar" in right and "textiel" not in right
    assert texts.index(left) < texts.index(right)


def test_hyphenation_is_undone_but_compounds_stay_whole(samples: Path) -> None:
    text = _load(samples / "hyphens.pdf").blocks[0].text
    for compound in ("CO2-beprijzing", "VTH-instrumentarium", "P&C-cyclus"):
        assert compound in text
    assert "circulaire economie" in text and "circu-" not in text


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["meehelpen van-", "en samenwerken"], "meehelpen van- en samenwerken"),
        (["de zee-", "egel"], "de zee-egel"),
        (["periode 2025-", "2027"], "periode 2025-2027"),
        (["Noord-", "Holland"], "Noord-Holland"),
        (["grond-", "stoffen"], "grondstoffen"),
        (["De Pagina"], "De Pagina"),
    ],
)
def test_join_lines(lines: list[str], expected: str) -> None:
    assert join_lines(lines) == expected


def test_printed_page_labels_and_outline_are_used(samples: Path) -> None:
    doc = _load(samples / "labels.pdf")
    by_text = {b.text: b for b in doc.blocks}
    zeist = next(b for t, b in by_text.items() if "Zeist" in t)
    assert zeist.pages == [2]  # physical page 4, printed "2"
    assert zeist.heading_path == ["Hergebruik"]
    assert not any("....." in t for t in by_text)  # contents lines are not content
    cover = next(b for t, b in by_text.items() if t == "Jaarverslag Circulair 2026")
    assert cover.pages == []  # labelled "i": no arabic page to cite


def test_encrypted_pdf_with_empty_password_is_read(samples: Path) -> None:
    doc = _load(samples / "encrypted.pdf")
    assert any("1200 ton bouwafval" in b.text for b in doc.blocks)
    assert any(b.kind == "table" for b in doc.blocks)


def test_pdf_that_needs_a_password_gets_a_dutch_reason(samples: Path) -> None:
    with pytest.raises(LoadError, match="wachtwoord"):
        _load(samples / "password.pdf")


def test_policy_pdf_answers_the_finance_table_as_rows(policy_chunks) -> None:
    rows = [c for c in policy_chunks if c.kind == "table_row"]
    assert len(rows) == 11
    vth = next(c for c in rows if c.text.startswith("VTH"))
    assert vth.text == "VTH — Budget 2025: € 300.000; Budget 2026 en 2027: € 400.000"
    assert vth.pages == [21]
    assert vth.section == "Financiën > Verdeling capaciteit en middelen over de thema’s"


def test_policy_pdf_has_no_furniture_and_whole_words(policy_chunks) -> None:
    import re

    from ingest.loaders.markdown import load_markdown

    text = "\n".join(c.text for c in policy_chunks)
    assert "Pagina" not in text and pdf_samples.POLICY_HEADER not in text
    assert "P&C-cyclus" in text and "VTH-instrumentarium" in text and "CO2-reductie" in text
    # Footnote references (small raised digits) are not glued into the sentence.
    assert "beïnvloeding). Dat kan" in text and "samenleving 2 ." not in text
    # Every word of the PDF text is a word of the source: nothing glued, nothing split.
    source = chunk_document(load_markdown(POLICY_MD, doc_id="x", source="y"))
    word = re.compile(r"[\w&’'-]+")
    known = {w for c in source for w in word.findall(f"{c.section} {c.text}")}
    assert [w for w in word.findall(text) if w not in known] == []


def test_policy_pdf_sections_match_the_markdown(policy_chunks) -> None:
    from ingest.loaders.markdown import load_markdown

    source = chunk_document(load_markdown(POLICY_MD, doc_id="x", source="y"))
    assert {c.section for c in policy_chunks} == {c.section for c in source}  # footnotes included
    note = next(c for c in policy_chunks if c.section.endswith("Voetnoot 6"))
    assert note.kind == "footnote" and note.text.startswith("Bij besluitvorming over de MTS CS eind 2024")
    assert max(len(c.text) for c in policy_chunks) <= 1700


def test_damaged_pdf_is_a_load_error(tmp_path: Path) -> None:
    bad = tmp_path / "kapot.pdf"
    bad.write_bytes(b"%PDF-1.4\n this is not really a pdf")
    with pytest.raises(LoadError, match="beschadigd"):
        _load(bad)


@pytest.mark.parametrize(
    ("line", "is_number"),
    [
        ("Pagina 6 van 21", True),
        ("- 6 -", True),
        ("6/21", True),
        ("xii", True),
        ("Page 3 of 9", True),
        ("2025", False),
        ("mild", False),
        ("Het plan", False),
    ],
)
def test_page_number_patterns(line: str, is_number: bool) -> None:
    from ingest.loaders.pdf_furniture import PAGE_NUMBER

    assert bool(PAGE_NUMBER.match(line)) is is_number
