"""Markdown with optional YAML front matter, ``<!-- page: N -->`` markers and footnotes.

The structure conventions of the bundled policy document are documented in
``knowledge/documents/README.md``; any other Markdown file works too (headings only).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ingest.models import Block, BlockKind, Document

_PAGE = re.compile(r"^<!--\s*page:\s*(\d+)\s*-->$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_FOOTDEF = re.compile(r"^\[\^(\w+)\]:\s*(.*)$")
_LIST = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_FOOTREF = re.compile(r"\[\^(\w+)\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")


def strip_inline(text: str) -> str:
    """Remove Markdown emphasis and footnote references: units are quoted as plain text."""
    text = _FOOTREF.sub("", text)
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"(?<!\w)[*_](\S.*?\S|\S)[*_](?!\w)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _strip_line(line: str) -> str:
    """Plain text of one line, keeping a list marker so list items stay recognisable."""
    marker = _LIST.match(line)
    if marker:
        return marker.group(0) + strip_inline(line[marker.end() :])
    return strip_inline(line)


def split_front_matter(raw: str) -> tuple[dict, str]:
    if raw.startswith("---\n"):
        end = raw.find("\n---", 4)
        if end != -1:
            meta = yaml.safe_load(raw[4:end]) or {}
            return (meta if isinstance(meta, dict) else {}), raw[end + 4 :].lstrip("\n")
    return {}, raw


def _table_cells(line: str) -> list[str]:
    return [strip_inline(cell) for cell in line.strip().strip("|").split("|")]


def parse_markdown(raw: str, *, default_title: str) -> tuple[dict, list[Block]]:
    """Turn Markdown into blocks that carry their heading path and page numbers."""
    meta, body = split_front_matter(raw)
    lines = body.splitlines()
    headings: list[tuple[int, str]] = []
    page = int(meta.get("first_page", 0) or 0)
    blocks: list[Block] = []
    buffer: list[str] = []
    buffer_pages: list[int] = []

    def path() -> list[str]:
        return [text for _, text in headings]

    def flush() -> None:
        if not buffer:
            return
        text = "\n".join(_strip_line(line) for line in buffer).strip()
        kind: BlockKind = "list" if all(_LIST.match(item) or item.startswith("  ") for item in buffer) else "paragraph"
        if text:
            blocks.append(Block(text=text, heading_path=path(), pages=sorted(set(buffer_pages)), kind=kind))
        buffer.clear()
        buffer_pages.clear()

    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if match := _PAGE.match(line.strip()):
            page = int(match.group(1))
            i += 1
            continue
        if match := _HEADING.match(line):
            flush()
            level, text = len(match.group(1)), strip_inline(match.group(2))
            headings[:] = [h for h in headings if h[0] < level] + [(level, text)]
            i += 1
            continue
        if match := _FOOTDEF.match(line):
            flush()
            label, note = match.group(1), [match.group(2)]
            i += 1
            while i < len(lines) and lines[i].startswith("    "):
                note.append(lines[i].strip())
                i += 1
            blocks.append(
                Block(
                    text=strip_inline(" ".join(note)),
                    heading_path=[*path(), f"Voetnoot {label}"],
                    pages=[page] if page else [],
                    kind="footnote",
                )
            )
            continue
        if line.lstrip().startswith("|") and i + 1 < len(lines) and re.match(r"^\s*\|?\s*:?-{3,}", lines[i + 1]):
            flush()
            header = _table_cells(line)
            rows: list[list[str]] = []
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(_table_cells(lines[i]))
                i += 1
            table_text = "\n".join(" | ".join(row) for row in [header, *rows])
            blocks.append(
                Block(
                    text=table_text,
                    heading_path=path(),
                    pages=[page] if page else [],
                    kind="table",
                    table_header=header,
                    table_rows=rows,
                )
            )
            continue
        if not line.strip():
            flush()
            i += 1
            continue
        if _LIST.match(line) and buffer and not all(_LIST.match(item) for item in buffer):
            flush()
        buffer.append(line)
        if page:
            buffer_pages.append(page)
        i += 1
    flush()
    return meta, blocks


def load_markdown(path: Path, *, doc_id: str, source: str) -> Document:
    raw = path.read_text(encoding="utf-8")
    meta, blocks = parse_markdown(raw, default_title=path.stem)
    title = str(meta.get("title") or _first_heading(blocks) or path.stem)
    return Document(
        doc_id=str(meta.get("doc_id") or doc_id),
        title=title,
        source=str(meta.get("source") or source),
        blocks=blocks,
        doc_type=str(meta.get("doc_type") or "document"),
        audience=str(meta.get("audience") or "public"),
        publisher=str(meta.get("publisher") or ""),
        year=int(meta["year"]) if str(meta.get("year", "")).isdigit() else None,
        language=str(meta.get("language") or "nl"),
    )


def _first_heading(blocks: list[Block]) -> str | None:
    for block in blocks:
        if block.heading_path:
            return block.heading_path[0]
    return None
