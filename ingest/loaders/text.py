"""Plain text: paragraphs separated by blank lines; the first short line is the title."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.loaders.errors import LoadError
from ingest.models import Block, Document


def read_text_file(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise LoadError("het bestand is binair, geen tekst")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LoadError("de tekencodering van het bestand is onbekend (verwacht UTF-8)")


def load_text(path: Path, *, doc_id: str, source: str) -> Document:
    raw = read_text_file(path)
    paragraphs = [re.sub(r"\s*\n\s*", " ", p).strip() for p in re.split(r"\n\s*\n", raw)]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise LoadError("het bestand is leeg")
    title = paragraphs[0] if len(paragraphs[0]) <= 120 else path.stem.replace("-", " ")
    blocks = [Block(text=p, heading_path=[title]) for p in paragraphs]
    return Document(doc_id=doc_id, title=title, source=source, blocks=blocks, doc_type="text")
