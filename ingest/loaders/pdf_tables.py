"""Bordered tables in a PDF, read as header + rows (pdfplumber's ruling-line detection).

A flattened table ("Onderwerp Budget 2025 Budget 2026 en 2027 Team CS … VTH € 300.000
€ 400.000 …") cannot answer "Hoeveel budget gaat er in 2026 naar VTH?"; as rows, each
row is indexed on its own with the column headers repeated, like a Markdown table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.loaders.pdf_text import join_lines


@dataclass
class PdfTable:
    box: tuple[float, float, float, float]  # x0, top, x1, bottom
    header: list[str]
    rows: list[list[str]]


def _cell(value: str | None) -> str:
    if not value:
        return ""
    return join_lines([part.strip() for part in value.splitlines() if part.strip()])


def find_tables(page: Any) -> list[PdfTable]:
    """Tables drawn with ruling lines; anything smaller than 2 × 2 stays text."""
    found = []
    for table in page.find_tables():
        raw = table.extract()
        rows = [[_cell(cell) for cell in row] for row in raw]
        rows = [row for row in rows if any(row)]
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            continue
        header = rows[0]
        # A header cell merged over several columns comes back empty after the first.
        for i, cell in enumerate(header):
            if not cell and i:
                header[i] = header[i - 1]
        x0, top, x1, bottom = (float(v) for v in table.bbox)
        found.append(PdfTable(box=(x0, top, x1, bottom), header=header, rows=rows[1:]))
    return found


def continues(previous: PdfTable, table: PdfTable) -> bool:
    """Does ``table`` (at the top of a page) continue ``previous`` (from the page before)?"""
    return len(previous.header) == len(table.header)


def merge(previous: PdfTable, table: PdfTable) -> None:
    """Append a continuation's rows; a repeated header row is not a data row."""
    if table.header != previous.header:
        previous.rows.append(table.header)
    previous.rows.extend(table.rows)
