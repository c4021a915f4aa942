"""Structure-aware chunking.

- An action ("#### Actie N") stays whole, with its Beoogd resultaat and Verwacht effect.
- Every table row becomes its own chunk that repeats the column headers, so a citation
  can open the exact row and no piece of a table loses its header.
- Footnotes and records are chunks of their own; other blocks under one heading are
  packed up to ``max_chars``.
"""

from __future__ import annotations

import hashlib
import re

from ingest.models import Block, Chunk, ChunkKind, Document
from ingest.sentences import split_sentences

_ACTION_HEADING = re.compile(r"^Actie\b", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")


def render_row(header: list[str], row: list[str]) -> str:
    """'VTH — Budget 2025: € 300.000; Budget 2026 en 2027: € 400.000'."""
    label = row[0] if row else ""
    cells = [f"{h}: {v}" for h, v in zip(header[1:], row[1:], strict=False) if v.strip()]
    return f"{label} — " + "; ".join(cells) if cells else label


# Record lines that describe the record rather than answer a question about its subject.
_RECORD_META = re.compile(
    r"^(Bronnen:|Bron:|Gecontroleerd op|Betrouwbaarheid:|Meer informatie:|Criterium [\w-]+ voor de productgroep)"
)


def record_units(block: Block) -> list[str]:
    """Quotable lines of a record: its fields, split into sentences; no title or source list."""
    lines = [line.strip() for line in block.text.splitlines() if line.strip()]
    units: list[str] = []
    in_sources = False
    for index, line in enumerate(lines):
        if index == 0 and block.heading_path and line == block.heading_path[-1]:
            continue  # the title repeats the heading path
        if _RECORD_META.match(line):
            in_sources = line.startswith(("Bronnen:", "Bron:"))
            continue
        if in_sources and line.startswith("- "):
            continue
        in_sources = False
        units.extend(split_sentences(_LIST_MARKER.sub("", line)) if len(line) > 220 else [_LIST_MARKER.sub("", line)])
    return units


def block_units(block: Block) -> list[str]:
    """The quotable evidence units of a block: sentences, list items or rows."""
    if block.kind == "record":
        return record_units(block)
    units: list[str] = []
    paragraph: list[str] = []
    for line in block.text.splitlines():
        if _LIST_MARKER.match(line):
            units.extend(split_sentences(" ".join(paragraph)))
            paragraph = []
            item = _LIST_MARKER.sub("", line).strip()
            if item:
                units.append(item)
        elif units and not paragraph and line.startswith("  "):
            units[-1] = f"{units[-1]} {line.strip()}"  # continuation of a list item
        else:
            paragraph.append(line.strip())
    units.extend(split_sentences(" ".join(paragraph)))
    return [u for u in units if u]


def _chunk_id(doc_id: str, section: str, text: str) -> str:
    digest = hashlib.sha1(f"{section}\n{text}".encode()).hexdigest()[:12]
    return f"{doc_id}:{digest}"


def _make(doc: Document, path: list[str], blocks: list[Block], kind: ChunkKind, text: str, units: list[str]) -> Chunk:
    section = " > ".join(path[1:] if len(path) > 1 and path[0] == doc.title else path)
    pages = sorted({p for b in blocks for p in b.pages})
    return Chunk(
        id=_chunk_id(doc.doc_id, section, text),
        doc_id=doc.doc_id,
        title=doc.title,
        section=section,
        pages=pages,
        audience=doc.audience,
        doc_type=doc.doc_type,
        source=doc.source,
        kind=kind,
        text=text,
        units=units,
        extra=dict(doc.extra),
    )


def _clean(text: str) -> str:
    return "\n".join(_LIST_MARKER.sub("- ", line).rstrip() for line in text.splitlines()).strip()


def chunk_document(doc: Document, max_chars: int = 1000) -> list[Chunk]:
    """Split a document into chunks that follow its structure."""
    chunks: list[Chunk] = []
    pending: list[Block] = []

    def flush() -> None:
        if not pending:
            return
        path = pending[0].heading_path
        if path and _ACTION_HEADING.match(path[-1]):
            text = "\n".join(_clean(b.text) for b in pending)
            units = [u for b in pending for u in block_units(b)]
            chunks.append(_make(doc, path, list(pending), "text", text, units))
        else:
            group: list[Block] = []
            size = 0
            for block in pending:
                # A new page starts a new chunk so a citation names the right page.
                new_page = bool(group) and block.pages[:1] != group[-1].pages[:1]
                if group and (new_page or size + len(block.text) > max_chars):
                    _emit_group(group)
                    group, size = [], 0
                group.append(block)
                size += len(block.text)
            _emit_group(group)
        pending.clear()

    def _emit_group(group: list[Block]) -> None:
        if not group:
            return
        units = [u for b in group for u in block_units(b)]
        text = "\n".join(_clean(b.text) for b in group)
        if len(text) <= max_chars * 1.5:
            chunks.append(_make(doc, group[0].heading_path, group, "text", text, units))
            return
        # One very long paragraph or list item: window its sentences so no chunk dilutes its
        # vector (an item longer than the budget is split into its sentences first).
        units = [part for unit in units for part in (split_sentences(unit) if len(unit) > max_chars else [unit])]
        window: list[str] = []
        for unit in units:
            if window and sum(len(u) for u in window) + len(unit) > max_chars:
                chunks.append(_make(doc, group[0].heading_path, group, "text", " ".join(window), list(window)))
                window = []
            window.append(unit)
        if window:
            chunks.append(_make(doc, group[0].heading_path, group, "text", " ".join(window), list(window)))

    for block in doc.blocks:
        if block.kind in {"table", "footnote", "record"}:
            flush()
            if block.kind == "table" and block.table_header and block.table_rows:
                for row in block.table_rows:
                    rendered = render_row(block.table_header, row)
                    chunks.append(_make(doc, block.heading_path, [block], "table_row", rendered, [rendered]))
            else:
                kind: ChunkKind = "footnote" if block.kind == "footnote" else "record"
                chunks.append(_make(doc, block.heading_path, [block], kind, _clean(block.text), block_units(block)))
            continue
        if pending and pending[0].heading_path != block.heading_path:
            flush()
        pending.append(block)
    flush()
    return _dedupe(chunks)


def _dedupe(chunks: list[Chunk]) -> list[Chunk]:
    """Identical text under an identical heading would collide on id; keep the first."""
    seen: set[str] = set()
    out = []
    for chunk in chunks:
        if chunk.id not in seen:
            seen.add(chunk.id)
            out.append(chunk)
    return out
