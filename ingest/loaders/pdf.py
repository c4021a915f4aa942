"""PDF with its layout: headings (outline, or font size and weight) give the section path,
bordered tables become rows, running headers and footers are dropped, two columns are read
one after the other, hyphenation is undone only where the line break made it, and pages
are cited by the label printed on them.

pdfplumber reads the layout (words with position and font, ruling lines for tables);
pypdf reads the document catalogue (encryption, page labels, outline, title).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.loaders.errors import LoadError
from ingest.loaders.pdf_furniture import TOC_LINE, printed_number, strip_furniture
from ingest.loaders.pdf_layout import Line, PageLines, body_size, page_lines, typical_gap
from ingest.loaders.pdf_tables import PdfTable, continues, find_tables, merge
from ingest.loaders.pdf_text import join_lines, vocabulary
from ingest.models import Block, BlockKind, Document

# pypdf and pdfminer log repair notes ("EOF marker not found") for damaged files; the user
# gets one Dutch sentence per file from LoadError instead.
for _name in ("pypdf", "pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)

_BULLET = re.compile(r"^[•●▪◦‣■□➢►]\s*")
_SOFT_MARKER = re.compile(r"^(?:[-–*]|\d{1,2}[.)])\s+")
_END = re.compile(r"[.!?:;]['\"”’)]*$")
_CONTENTS = re.compile(r"^(inhoud|inhoudsopgave|inhoudstafel|contents|table of contents)$", re.IGNORECASE)
_BAD_TITLES = re.compile(r"^(untitled|naamloos|microsoft word|document\d*$)", re.IGNORECASE)
PASSWORD_NEEDED = (
    "de PDF is versleuteld met een wachtwoord; Kringwijs kan hem zonder wachtwoord niet openen. "
    "Sla een kopie zonder wachtwoord op en indexeer die"
)


@dataclass
class Catalogue:
    """What pypdf reads from the document catalogue."""

    title: str
    pages: int
    labels: list[str] | None  # printed page labels, when the PDF defines them
    outline: dict[int, list[tuple[str, int]]] = field(default_factory=dict)  # page -> (title, level)
    encrypted: bool = False


def _outline(reader: Any) -> dict[int, list[tuple[str, int]]]:
    entries: dict[int, list[tuple[str, int]]] = {}

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            try:
                page = reader.get_destination_page_number(item)
            except Exception:  # a bookmark to nowhere is not worth failing the file for
                continue
            if page is not None and page >= 0 and str(item.title).strip():
                entries.setdefault(page, []).append((_norm(str(item.title)), level))

    try:
        walk(reader.outline, 1)
    except Exception:
        return {}
    return entries


def read_catalogue(path: Path) -> Catalogue:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(str(path))
        encrypted = reader.is_encrypted
        if encrypted:
            try:
                if not reader.decrypt(""):
                    raise LoadError(PASSWORD_NEEDED)
            except (FileNotDecryptedError, NotImplementedError) as exc:
                raise LoadError(PASSWORD_NEEDED) from exc
            except DependencyError as exc:  # pypdf without its crypto extra
                raise LoadError("de PDF is versleuteld en de versleutelingsmodule ontbreekt (cryptography)") from exc
        count = len(reader.pages)
        labels = None
        if "/PageLabels" in reader.trailer["/Root"]:  # type: ignore[operator]  # pypdf: PdfObject
            labels = list(reader.page_labels)
        title = str((reader.metadata.title if reader.metadata else None) or "").strip()
        outline = _outline(reader)
    except LoadError:
        raise
    except (PdfReadError, ValueError, OSError, KeyError, TypeError, AttributeError) as exc:
        raise LoadError("de PDF is beschadigd of geen geldige PDF") from exc
    if not count:
        raise LoadError("de PDF heeft geen pagina's")
    return Catalogue(title=title, pages=count, labels=labels, outline=outline, encrypted=encrypted)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _page_numbers(catalogue: Catalogue, pages: list[PageLines]) -> list[int | None]:
    """The number to cite for each physical page: the printed label when there is one."""
    if catalogue.labels:
        return [int(label) if label.isdigit() else None for label in catalogue.labels]
    printed = {page.index: printed_number(page) for page in pages}
    found = {i: n for i, n in printed.items() if n is not None}
    if len(found) < max(2, len(pages) // 2):
        return [i + 1 for i in range(len(pages))]
    offset = Counter(n - (i + 1) for i, n in found.items()).most_common(1)[0][0]
    return [found.get(i, i + 1 + offset if i + 1 + offset >= 1 else None) for i in range(len(pages))]


def _heading_levels(pages: list[PageLines], body: float) -> dict[tuple[float, bool], int]:
    """Heading styles (size, bold), biggest first: level 1, 2, …"""
    styles = {
        (line.size, line.bold) for page in pages for line in page.lines if line.text and _looks_like_heading(line, body)
    }
    ordered = sorted(styles, key=lambda style: (-style[0], not style[1]))
    return {style: level for level, style in enumerate(ordered, start=1)}


def _looks_like_heading(line: Line, body: float) -> bool:
    text = line.text.strip()
    if not any(ch.isalpha() for ch in text) or len(text) > 120 or TOC_LINE.search(text):
        return False
    if _BULLET.match(text) or text.endswith((".", ";")):
        return False
    if line.size >= body * 1.12:
        return True  # a big heading may wrap after a comma ("Thema 1: Opdrachtgeverschap,")
    return line.bold and line.size >= body - 0.3 and not text.endswith(",")


class _Assembler:
    """Turns ordered lines into blocks that carry their heading path and page."""

    def __init__(self, title: str, body: float, gap: float, vocab: set[str]) -> None:
        self.title = title
        self.body = body
        self.gap = gap
        self.vocab = vocab
        self.headings: list[tuple[int, str]] = []
        self.blocks: list[Block] = []
        self.lines: list[Line] = []
        self.kind: BlockKind = "paragraph"
        self.page_numbers: list[int | None] = []
        self.last_table: tuple[PdfTable, Block] | None = None

    def path(self) -> list[str]:
        return [text for _, text in self.headings] or [self.title]

    def page_of(self, line: Line) -> list[int]:
        number = self.page_numbers[line.page] if line.page < len(self.page_numbers) else None
        return [number] if number else []

    def flush(self) -> None:
        if not self.lines:
            return
        texts = [line.text for line in self.lines]
        text = join_lines(texts, self.vocab)
        if self.kind == "list":
            text = "- " + _BULLET.sub("", _SOFT_MARKER.sub("", text, count=1), count=1)
        pages = sorted({p for line in self.lines for p in self.page_of(line)})
        path = self.path()
        if _CONTENTS.match(path[-1]):
            self.lines, self.kind = [], "paragraph"  # what is left of a table of contents
            return
        if self.kind == "footnote":
            path = [*path, f"Voetnoot {self._note}"]
        if text.strip("- "):
            self.blocks.append(Block(text=text, heading_path=path, pages=pages, kind=self.kind))
        self.lines = []
        self.kind = "paragraph"

    def heading(self, line: Line, level: int) -> None:
        self.flush()
        self.last_table = None
        text = line.text.strip()
        before = self._heading_line
        if (
            self.headings
            and self.headings[-1][0] == level
            and self._fresh_heading
            and before is not None
            and before.page == line.page
            and line.top - before.bottom < line.size * 0.8
        ):
            # A heading set over two lines.
            self.headings[-1] = (level, join_lines([self.headings[-1][1], text]))
            return
        self.headings = [h for h in self.headings if h[0] < level] + [(level, text)]
        self._fresh_heading = True
        self._heading_line = line

    _fresh_heading = False
    _note = ""
    _heading_line: Line | None = None

    def table(self, table: PdfTable, line: Line, first_on_page: bool) -> None:
        self.flush()
        self._fresh_heading = False
        if first_on_page and self.last_table and continues(self.last_table[0], table):
            previous, block = self.last_table
            merge(previous, table)
            block.table_rows = previous.rows
            block.pages = sorted({*block.pages, *self.page_of(line)})
            block.text = "\n".join(" | ".join(row) for row in [previous.header, *previous.rows])
            return
        block = Block(
            text="\n".join(" | ".join(row) for row in [table.header, *table.rows]),
            heading_path=self.path(),
            pages=self.page_of(line),
            kind="table",
            table_header=table.header,
            table_rows=table.rows,
        )
        self.blocks.append(block)
        self.last_table = (table, block)

    def text_line(self, line: Line, previous: Line | None) -> None:
        self._fresh_heading = False
        text = line.text.strip()
        if line.note:
            # A footnote is a passage of its own under its own heading, as in Markdown.
            self.flush()
            self.kind = "footnote"
            self._note = line.note
            self.lines.append(line)
            return
        if (
            self.kind == "footnote"
            and self.lines
            and not (line.page == self.lines[-1].page and line.gap_before <= self.gap + self.body * 0.45)
        ):
            self.flush()
        bullet = bool(_BULLET.match(text))
        soft = bool(_SOFT_MARKER.match(text))
        if not self.lines:
            self.kind = "list" if bullet or (soft and self._list_context()) else "paragraph"
            self.lines.append(line)
            return
        last = self.lines[-1]
        moved = previous is None or previous.page != line.page or previous.column != line.column
        if moved:
            # Text that runs on across a page or column break continues its paragraph.
            running_on = not _END.search(last.text) and text[:1].islower()
            if running_on:
                self.lines.append(line)
                return
            self.flush()
        elif (
            bullet
            or (soft and (self.kind == "list" or _END.search(last.text)))
            or line.gap_before > self.gap + self.body * 0.45
            or abs(line.size - last.size) > 0.6
            or (self.kind == "list" and line.x0 < self.lines[0].x0 - 1 and not bullet)
        ):
            self.flush()
        if not self.lines:
            self.kind = "list" if bullet or (soft and self._list_context()) else "paragraph"
        self.last_table = None
        self.lines.append(line)

    def _list_context(self) -> bool:
        last = self.blocks[-1] if self.blocks else None
        return bool(last and (last.kind == "list" or _END.search(last.text)))


def _outline_heading(line: Line, catalogue: Catalogue) -> int | None:
    for title, level in catalogue.outline.get(line.page, []):
        if _norm(line.text) == title:
            return level
    return None


def load_pdf(path: Path, *, doc_id: str, source: str) -> Document:
    catalogue = read_catalogue(path)
    pages, tables = _read_layout(path, catalogue)
    strip_furniture(pages)
    body = body_size(pages)
    numbers = _page_numbers(catalogue, pages)
    levels = {} if catalogue.outline else _heading_levels(pages, body)
    title = catalogue.title if catalogue.title and not _BAD_TITLES.match(catalogue.title) else ""
    title = title or _first_heading(pages, levels) or path.stem.replace("-", " ").replace("_", " ")
    assembler = _Assembler(title, body, typical_gap(pages, body), vocabulary(_all_text(pages)))
    assembler.page_numbers = numbers
    for page in pages:
        previous: Line | None = None
        first = True
        for line in page.lines:
            if line.table:
                assembler.table(tables[(page.index, line.table)], line, first)
            else:
                level = _outline_heading(line, catalogue) if catalogue.outline else None
                if level is None and not catalogue.outline and _looks_like_heading(line, body):
                    level = levels.get((line.size, line.bold))
                if level is not None:
                    assembler.heading(line, level)
                else:
                    assembler.text_line(line, previous if previous is not None else _last_line(assembler))
                previous = line
            first = False
    assembler.flush()
    if not assembler.blocks:
        raise LoadError("de PDF bevat geen tekst (mogelijk alleen scans; OCR wordt niet ondersteund)")
    return Document(doc_id=doc_id, title=title, source=source, blocks=assembler.blocks, doc_type="pdf")


def _last_line(assembler: _Assembler) -> Line | None:
    return assembler.lines[-1] if assembler.lines else None


def _all_text(pages: list[PageLines]) -> list[str]:
    return [line.text for page in pages for line in page.lines if line.text]


def _first_heading(pages: list[PageLines], levels: dict[tuple[float, bool], int]) -> str:
    candidates = [line for page in pages[:2] for line in page.lines if line.text and (line.size, line.bold) in levels]
    if not candidates:
        return ""
    top = min(levels.get((line.size, line.bold), 99) for line in candidates)
    return next(line.text.strip() for line in candidates if levels.get((line.size, line.bold)) == top)


def _read_layout(path: Path, catalogue: Catalogue) -> tuple[list[PageLines], dict[tuple[int, tuple], PdfTable]]:
    import pdfplumber

    pages: list[PageLines] = []
    tables: dict[tuple[int, tuple], PdfTable] = {}
    try:
        pdf = pdfplumber.open(str(path), password="" if catalogue.encrypted else None)
    except Exception as exc:  # pdfminer raises many types for damaged files
        raise LoadError("de PDF is beschadigd of geen geldige PDF") from exc
    with pdf:
        for index, page in enumerate(pdf.pages):
            try:
                found = find_tables(page)
                pages.append(page_lines(page, index, [t.box for t in found]))
            except Exception as exc:
                raise LoadError(f"pagina {index + 1} kan niet worden gelezen") from exc
            tables.update({(index, t.box): t for t in found})
    return pages, tables
