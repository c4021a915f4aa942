"""Export a criteria selection as a tender-ready document (Markdown or Word).

Like the MVI-criteriatool's print: criteria grouped by type, each with its number, text,
verification, ambition level and themes, the sources, and at the end a table of the
selected criterion ids for the buyer's own reference or the e-procurement system.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from docx import Document
from docx.shared import Pt

from knowledge.criteria_service import sort_key
from knowledge.dutch import AMBITION_LABELS, TYPE_HEADINGS, format_date_nl
from knowledge.records import CRITERION_TYPES, Criterion, SourceRef

DEFAULT_TITLE = "Selectie MVI-criteria"
DISCLAIMER = (
    "U blijft als inkoper verantwoordelijk voor de definitieve tekst. Kies zelf de criteria die passen "
    "bij uw opdracht, specificeer ze waar nodig verder en bepaal zelf de verificatie en de weging van "
    "de gunningscriteria. Neem niet alle criteria klakkeloos over: dat kan disproportioneel zijn. "
    "Tekst tussen [vierkante haken] vult u zelf in."
)
ORIGIN_NOTE = (
    "Kringwijs heeft deze criteria samengesteld uit openbare bronnen (zie 'Bronnen'); het zijn geen "
    "letterlijke teksten uit de MVI-criteriatool. Controleer de actuele criteria op www.mvicriteria.nl."
)
TABLE_HEADER = ("Id", "Titel", "Type", "Ambitieniveau")


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


def _meta_lines(c: Criterion) -> list[str]:
    return [
        f"Bewijsmiddel: {c.verification}",
        f"Ambitieniveau: {_ambition(c)}",
        f"Thema's: {'; '.join(c.themes)}",
        f"Productgroep: {c.product_group_label}",
        f"Gecontroleerd op: {format_date_nl(c.checked)}",
    ]


def export_markdown(criteria: Iterable[Criterion], title: str = DEFAULT_TITLE) -> str:
    """The selection as Markdown, ending with the table of criterion ids."""
    chosen = _ordered(criteria)
    out = [f"# {title}", "", f"Samengesteld op {format_date_nl(date.today())}.", "", f"> {DISCLAIMER}", ""]
    out += [ORIGIN_NOTE, ""]
    if not chosen:
        out += ["Er zijn geen criteria geselecteerd.", ""]
    for ctype, items in _by_type(chosen):
        out += [f"## {TYPE_HEADINGS[ctype]}", ""]
        for c in items:
            out += [f"### {c.id} – {c.title}", "", c.text, ""]
            out += [f"- {line}" for line in _meta_lines(c)]
            if c.note:
                out.append(f"- Toelichting: {c.note}")
            out.append("")
    out += ["## Bronnen", ""]
    out += [f"- {s.describe()}" for s in _sources(chosen)]
    out += ["", "## Overzicht van de geselecteerde criteria", ""]
    out += ["| " + " | ".join(TABLE_HEADER) + " |", "| --- | --- | --- | --- |"]
    for c in chosen:
        cells = [c.id, c.title.replace("|", "/"), c.criterion_type, _ambition(c)]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def export_docx(criteria: Iterable[Criterion], path: Path, title: str = DEFAULT_TITLE) -> Path:
    """Write the selection as a Word document at ``path`` and return the path."""
    chosen = _ordered(criteria)
    path = Path(path)
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.language = "nl-NL"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(title, level=0)
    doc.add_paragraph(f"Samengesteld op {format_date_nl(date.today())}.")
    doc.add_paragraph(DISCLAIMER).runs[0].italic = True
    doc.add_paragraph(ORIGIN_NOTE)
    if not chosen:
        doc.add_paragraph("Er zijn geen criteria geselecteerd.")
    for ctype, items in _by_type(chosen):
        doc.add_heading(TYPE_HEADINGS[ctype], level=1)
        for c in items:
            doc.add_heading(f"{c.id} – {c.title}", level=2)
            doc.add_paragraph(c.text)
            for line in _meta_lines(c):
                label, _, value = line.partition(": ")
                para = doc.add_paragraph(style="List Bullet")
                para.add_run(f"{label}: ").bold = True
                para.add_run(value)
            if c.note:
                para = doc.add_paragraph(style="List Bullet")
                para.add_run("Toelichting: ").bold = True
                para.add_run(c.note)
    doc.add_heading("Bronnen", level=1)
    for source in _sources(chosen):
        doc.add_paragraph(source.describe(), style="List Bullet")
    doc.add_heading("Overzicht van de geselecteerde criteria", level=1)
    table = doc.add_table(rows=1, cols=len(TABLE_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, TABLE_HEADER, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for c in chosen:
        row = table.add_row().cells
        for cell, text in zip(row, (c.id, c.title, c.criterion_type, _ambition(c)), strict=True):
            cell.text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
