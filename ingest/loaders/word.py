"""Word (.docx) via python-docx: headings give the section path, tables become rows with
their headers, list paragraphs stay list items, and pages are counted where the file
records them (Word's rendered page breaks, or explicit page breaks)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ingest.loaders.errors import LoadError
from ingest.models import Block, Document

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|kop)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLE = {"title", "titel"}
_LIST_STYLE = re.compile(r"list|lijst|opsomming", re.IGNORECASE)


def _heading_level(paragraph) -> int | None:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if match := _HEADING_STYLE.match(name.strip()):
        return int(match.group(1))
    level = paragraph._p.find(f"{_W}pPr/{_W}outlineLvl")
    if level is not None:
        value = int(level.get(f"{_W}val", "9"))
        return value + 1 if value < 9 else None
    return None


def _is_list(paragraph) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return bool(_LIST_STYLE.search(name)) or paragraph._p.find(f"{_W}pPr/{_W}numPr") is not None


def _breaks(element, rendered: bool) -> tuple[int, int]:
    """Page breaks (before, after) the text of a paragraph: Word's own rendering marks when
    the file has them, else explicit page breaks."""
    before = after = 0
    seen_text = False
    for node in element.iter():
        if node.tag == f"{_W}t" and (node.text or "").strip():
            seen_text = True
        is_break = (rendered and node.tag == f"{_W}lastRenderedPageBreak") or (
            not rendered
            and (
                (node.tag == f"{_W}br" and node.get(f"{_W}type") == "page")
                or (node.tag == f"{_W}pageBreakBefore" and node.get(f"{_W}val", "true") not in ("0", "false"))
            )
        )
        if is_break:
            if seen_text:
                after += 1
            else:
                before += 1
    return before, after


def _rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a cell merged across columns is returned once per column
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(cells)
    return rows


def load_docx(path: Path, *, doc_id: str, source: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        word = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError("het Word-bestand is beschadigd, versleuteld of geen .docx-bestand") from exc
    body = word.element.body
    xml = body.xml if hasattr(body, "xml") else ""
    rendered = "lastRenderedPageBreak" in xml
    has_pages = rendered or 'w:type="page"' in xml or "pageBreakBefore" in xml
    page = 1
    title = (word.core_properties.title or "").strip()
    headings: list[tuple[int, str]] = []
    first_heading = ""
    blocks: list[Block] = []

    def path_now() -> list[str]:
        return [text for _, text in headings] or [title or path.stem]

    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            paragraph = Paragraph(child, word)
            text = " ".join(paragraph.text.split())
            before, after = _breaks(child, rendered) if has_pages else (0, 0)
            page += before
            pages = [page] if has_pages else []
            if text:
                style = (paragraph.style.name if paragraph.style is not None else "").strip().lower()
                level = _heading_level(paragraph)
                if style in _TITLE_STYLE and not title:
                    title = text
                elif level is not None:
                    first_heading = first_heading or text
                    headings = [h for h in headings if h[0] < level] + [(level, text)]
                elif _is_list(paragraph):
                    blocks.append(Block(text=f"- {text}", heading_path=path_now(), pages=pages, kind="list"))
                else:
                    blocks.append(Block(text=text, heading_path=path_now(), pages=pages))
            page += after
        elif child.tag == f"{_W}tbl":
            rows = _rows(Table(child, word))
            pages = [page] if has_pages else []
            if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                blocks.append(
                    Block(
                        text="\n".join(" | ".join(r) for r in rows),
                        heading_path=path_now(),
                        pages=pages,
                        kind="table",
                        table_header=rows[0],
                        table_rows=rows[1:],
                    )
                )
            elif rows:
                blocks.append(Block(text=" ".join(" ".join(r) for r in rows), heading_path=path_now(), pages=pages))
            if has_pages:
                page += sum(_breaks(child, rendered))
    if not blocks:
        raise LoadError("het Word-bestand bevat geen tekst")
    title = title or first_heading or path.stem.replace("-", " ").replace("_", " ")
    for block in blocks:
        if block.heading_path == [path.stem]:
            block.heading_path = [title]
    return Document(doc_id=doc_id, title=title, source=source, blocks=blocks, doc_type="docx")
