"""Knowledge records (criteria, subsidies, regulations, guidance, contact routes) as one Document each.

Records are indexed as records: one chunk per record, its fields as metadata, never
flattened into page-like text.
"""

from __future__ import annotations

from pathlib import Path

from ingest.loaders.errors import LoadError
from ingest.models import Block, Document

RECORD_DIRS = ("criteria", "guidance", "subsidies", "regulations", "contacts")
_DOC_TYPES = {
    "criterion": "criterium",
    "guidance": "richtlijn",
    "subsidy": "subsidie",
    "regulation": "regelgeving",
    "contact": "contactroute",
}


def record_files(root: Path) -> list[Path]:
    return sorted(p for d in RECORD_DIRS for p in (root / d).glob("*.y*ml") if p.is_file())


def load_record_documents(root: Path) -> list[Document]:
    try:
        from knowledge.records import RecordError, load_records
    except ImportError as exc:  # the knowledge package is part of the distribution
        raise LoadError("de kennisrecords kunnen niet worden geladen (module ontbreekt)") from exc
    try:
        records = load_records(root)
    except RecordError as exc:
        raise LoadError(f"ongeldige kennisrecords: {exc}") from exc
    docs = []
    for record in records:
        meta = record.metadata()
        title = record.title_text()
        docs.append(
            Document(
                doc_id=f"{record.kind}-{record.id}",
                title=title,
                source=str(meta.get("source_url") or meta.get("source_title") or ""),
                blocks=[Block(text=record.body_text(), heading_path=[title], kind="record")],
                doc_type=_DOC_TYPES.get(record.kind, record.kind),
                audience="public",
                publisher=str(meta.get("provider") or meta.get("organisation") or meta.get("source_title") or ""),
                extra=meta,
            )
        )
    return docs
