"""Export a criteria selection as a tender-ready document (Markdown or Word).

Laid out like PIANOo's MVI-criteriatool print, which buyers know: criteria grouped by type,
each with its number, text, verification, ambition level and themes; then a table of the
selected criterion ids for the buyer's own reference or the e-procurement system; then an
annex with the provenance (sources, check dates, how Kringwijs classified each criterion).
The criteria section holds only text a buyer can paste into a tender document; everything
about where a criterion comes from lives in the annex.

The Word file is A4 with a header (title and date), a footer "pagina x van y" (Word fields,
so the numbers are right after the buyer edits) and document properties.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from knowledge.dutch import AMBITION_LABELS, TYPE_HEADINGS, format_date_nl
from knowledge.models import sort_key
from knowledge.records import CRITERION_TYPES, Criterion, SourceRef

DEFAULT_TITLE = "Selectie MVI-criteria"
AUTHOR = "Provincie Utrecht"
SUBJECT = "Maatschappelijk verantwoord inkopen: criteria voor een aanbesteding"
DISCLAIMER = (
    "U blijft als inkoper verantwoordelijk voor de definitieve tekst. Kies zelf de criteria die passen "
    "bij uw opdracht, specificeer ze waar nodig verder en bepaal zelf de verificatie en de weging van "
    "de gunningscriteria. Neem niet alle criteria klakkeloos over: dat kan disproportioneel zijn. "
    "Tekst tussen [vierkante haken] vult u zelf in."
)
READING_NOTE = (
    "De criteria staan per type, met daarna een overzicht van de nummers. De herkomst (bronnen, de datum "
    "waarop elk criterium is gecontroleerd en een toelichting) staat in de bijlage."
)
ORIGIN_NOTE = (
    "Kringwijs heeft deze criteria samengesteld uit openbare bronnen; het zijn geen letterlijke teksten "
    "uit de MVI-criteriatool. Controleer de actuele criteria op www.mvicriteria.nl."
)
TABLE_HEADER = ("Id", "Titel", "Type", "Ambitieniveau")
TABLE_HEADING = "Overzicht van de geselecteerde criteria"
ANNEX_HEADING = "Bijlage: herkomst van de criteria"

# A4 in portrait, with margins that leave room for binding and the header/footer.
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN_SIDE, MARGIN_TOP_BOTTOM = Cm(2.5), Cm(2.5)


def _ordered(criteria: Iterable[Criterion]) -> list[Criterion]:
    return sorted(criteria, key=sort_key)


def _by_type(criteria: list[Criterion]) -> list[tuple[str, list[Criterion]]]:
    return [
        (ctype, [c for c in criteria if c.criterion_type == ctype])
        for ctype in CRITERION_TYPES
        if any(c.criterion_type == ctype for c in criteria)
    ]


def _ambition(c: Criterion) -> str:
    return f"{c.ambition} ({AMBITION_LABELS[c.ambition]})"


def _sources(criteria: list[Criterion]) -> list[SourceRef]:
    seen: dict[str, SourceRef] = {}
    for c in criteria:
        for s in c.sources:
            seen.setdefault(s.url + s.title, s)
    return list(seen.values())


def _criterion_lines(c: Criterion) -> list[tuple[str, str]]:
    """What a buyer pastes with the criterion: no provenance, no notes about Kringwijs."""
    return [
        ("Bewijsmiddel", c.verification),
        ("Ambitieniveau", _ambition(c)),
        ("Thema's", "; ".join(c.themes)),
        ("Productgroep", c.product_group_label),
    ]


def _provenance_lines(c: Criterion) -> list[tuple[str, str]]:
    """The annex entry for one criterion: its sources, check date and classification note."""
    lines = [
        ("Bronnen", "; ".join(s.title for s in c.sources)),
        ("Gecontroleerd op", format_date_nl(c.checked)),
    ]
    if c.note:
        lines.append(("Toelichting", c.note))
    return lines


def export_markdown(criteria: Iterable[Criterion], title: str = DEFAULT_TITLE, *, today: date | None = None) -> str:
    """The selection as Markdown: criteria by type, the id table, then the provenance annex."""
    chosen = _ordered(criteria)
    today = today or date.today()
    out = [f"# {title}", "", f"Samengesteld op {format_date_nl(today)}.", "", f"> {DISCLAIMER}", ""]
    out += [READING_NOTE, ""]
    if not chosen:
        out += ["Er zijn geen criteria geselecteerd.", ""]
    for ctype, items in _by_type(chosen):
        out += [f"## {TYPE_HEADINGS[ctype]}", ""]
        for c in items:
            out += [f"### {c.id} – {c.title}", "", c.text, ""]
            out += [f"- {label}: {value}" for label, value in _criterion_lines(c)]
            out.append("")
    out += [f"## {TABLE_HEADING}", ""]
    out += ["| " + " | ".join(TABLE_HEADER) + " |", "| --- | --- | --- | --- |"]
    for c in chosen:
        cells = [c.id, c.title.replace("|", "/"), c.criterion_type, _ambition(c)]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", f"## {ANNEX_HEADING}", "", ORIGIN_NOTE, "", "### Bronnen", ""]
    out += [f"- {s.describe()}" for s in _sources(chosen)]
    out.append("")
    if chosen:
        out += ["### Per criterium", ""]
    for c in chosen:
        out += [f"#### {c.id} – {c.title}", ""]
        out += [f"- {label}: {value}" for label, value in _provenance_lines(c)]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _fld_char(run, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    _fld_char(run, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    _fld_char(run, "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"  # what a viewer that does not compute fields shows until it does
    run._r.append(shown)
    _fld_char(run, "end")


def _set_language(doc, tag: str = "nl-NL") -> None:
    """Dutch as the proofing language of every style, so Word checks spelling in Dutch."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _page_setup(doc, title: str, today: date) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_SIDE
    section.top_margin = section.bottom_margin = MARGIN_TOP_BOTTOM
    section.header_distance = section.footer_distance = Cm(1.25)
    header = section.header.paragraphs[0]
    header.text = f"{title} — {format_date_nl(today)}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("pagina ")
    _field(footer, "PAGE")
    footer.add_run(" van ")
    _field(footer, "NUMPAGES")
    for part in (header, footer):
        for run in part.runs:
            run.font.size = Pt(8.5)


def _properties(doc, title: str, today: date) -> None:
    props = doc.core_properties
    props.title = title
    props.author = AUTHOR
    props.last_modified_by = AUTHOR  # python-docx's template says "python-docx"
    props.subject = SUBJECT
    props.keywords = "MVI; MVOI; inkoopcriteria; circulair inkopen"
    props.comments = f"Samengesteld op {format_date_nl(today)} met Kringwijs."
    props.language = "nl-NL"
    props.category = "Inkoop"


def _labelled(doc, label: str, value: str) -> None:
    para = doc.add_paragraph(style="List Bullet")
    para.add_run(f"{label}: ").bold = True
    para.add_run(value)


def _id_table(doc, chosen: list[Criterion]) -> None:
    table = doc.add_table(rows=1, cols=len(TABLE_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, TABLE_HEADER, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for c in chosen:
        row = table.add_row().cells
        for cell, text in zip(row, (c.id, c.title, c.criterion_type, _ambition(c)), strict=True):
            cell.text = text


def export_docx(
    criteria: Iterable[Criterion], path: Path, title: str = DEFAULT_TITLE, *, today: date | None = None
) -> Path:
    """Write the selection as a Word document at ``path`` and return the path."""
    chosen = _ordered(criteria)
    today = today or date.today()
    path = Path(path)
    doc = Document()
    _properties(doc, title, today)
    _set_language(doc)
    _page_setup(doc, title, today)
    doc.styles["Normal"].font.size = Pt(10.5)

    doc.add_heading(title, level=0)
    doc.add_paragraph(f"Samengesteld op {format_date_nl(today)}.")
    doc.add_paragraph(DISCLAIMER).runs[0].italic = True
    doc.add_paragraph(READING_NOTE)
    if not chosen:
        doc.add_paragraph("Er zijn geen criteria geselecteerd.")
    for ctype, items in _by_type(chosen):
        doc.add_heading(TYPE_HEADINGS[ctype], level=1)
        for c in items:
            doc.add_heading(f"{c.id} – {c.title}", level=2)
            doc.add_paragraph(c.text)
            for label, value in _criterion_lines(c):
                _labelled(doc, label, value)

    doc.add_heading(TABLE_HEADING, level=1)
    _id_table(doc, chosen)

    doc.add_page_break()
    doc.add_heading(ANNEX_HEADING, level=1)
    doc.add_paragraph(ORIGIN_NOTE)
    doc.add_heading("Bronnen", level=2)
    for source in _sources(chosen):
        doc.add_paragraph(source.describe(), style="List Bullet")
    if chosen:
        doc.add_heading("Per criterium", level=2)
    for c in chosen:
        doc.add_heading(f"{c.id} – {c.title}", level=3)
        for label, value in _provenance_lines(c):
            _labelled(doc, label, value)

    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
