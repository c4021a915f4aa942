"""Records that cross the ingest boundary: a loaded ``Document`` and its ``Chunk``s."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

ChunkKind = Literal["text", "table_row", "footnote", "record"]
Scalar = str | int | float | bool


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


BlockKind = Literal["paragraph", "action", "list", "table", "footnote", "record"]


@dataclass
class Block:
    """A structural piece of a document: a paragraph, list, action or table, with its place."""

    text: str
    heading_path: list[str]
    pages: list[int] = field(default_factory=list)
    kind: BlockKind = "paragraph"
    # Tables keep their cells so rows can be rendered with their column headers.
    table_header: list[str] | None = None
    table_rows: list[list[str]] | None = None


@dataclass
class Document:
    """One source document, whatever the file format it came from."""

    doc_id: str
    title: str
    source: str
    blocks: list[Block]
    doc_type: str = "document"
    audience: str = "public"
    publisher: str = ""
    year: int | None = None
    language: str = "nl"
    extra: dict[str, Scalar] = field(default_factory=dict)


@dataclass
class Chunk:
    """The unit of retrieval. ``units`` are the evidence sentences/rows the answerer may quote."""

    id: str
    doc_id: str
    title: str
    section: str
    pages: list[int]
    audience: str
    doc_type: str
    source: str
    kind: ChunkKind
    text: str
    units: list[str]
    extra: dict[str, Scalar] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return sha256_text(self.text)

    @property
    def embed_text(self) -> str:
        """What gets embedded and BM25-indexed: the heading path gives a passage its topic."""
        return f"{self.section}\n{self.text}" if self.section else self.text

    def metadata(self) -> dict[str, Scalar]:
        """Flat metadata for the vector store (scalars only)."""
        meta: dict[str, Scalar] = {
            "doc_id": self.doc_id,
            "title": self.title,
            "section": self.section,
            "page": self.pages[0] if self.pages else 0,
            "pages": ",".join(str(p) for p in self.pages),
            "audience": self.audience,
            "doc_type": self.doc_type,
            "source": self.source,
            "kind": self.kind,
            "content_hash": self.content_hash,
            "n_units": len(self.units),
        }
        for key, value in self.extra.items():
            meta.setdefault(key, value)
        return meta
