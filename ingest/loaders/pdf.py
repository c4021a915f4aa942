"""PDF via pypdf, one block per paragraph, each with the page it came from."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from ingest.loaders.errors import LoadError
from ingest.models import Block, Document


def _paragraphs(page_text: str) -> list[str]:
    # pypdf gives one line per visual line; blank lines (or a line ending a sentence
    # followed by a capital) separate paragraphs. Hyphenated line breaks are re-joined.
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", page_text)
    parts = re.split(r"\n\s*\n", text)
    out = []
    for part in parts:
        joined = re.sub(r"\s*\n\s*", " ", part).strip()
        if joined and not re.fullmatch(r"\d{1,4}", joined):
            out.append(joined)
    return out


# pypdf logs repair notes ("EOF marker not found") for damaged files; the user gets one
# Dutch sentence per file from LoadError instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def load_pdf(path: Path, *, doc_id: str, source: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise LoadError("de PDF is versleuteld met een wachtwoord")
            except LoadError:
                raise
            except Exception as exc:  # pypdf raises several types for unsupported crypto
                raise LoadError("de PDF is versleuteld en kan niet worden gelezen") from exc
        pages = list(reader.pages)
        title = (reader.metadata.title if reader.metadata else None) or path.stem.replace("-", " ")
    except LoadError:
        raise
    except (PdfReadError, ValueError, OSError, KeyError, TypeError) as exc:
        raise LoadError("de PDF is beschadigd of geen geldige PDF") from exc
    if not pages:
        raise LoadError("de PDF heeft geen pagina's")
    blocks: list[Block] = []
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # a single broken page should not sink the document
            raise LoadError(f"pagina {number} kan niet worden gelezen") from exc
        for paragraph in _paragraphs(text):
            blocks.append(Block(text=paragraph, heading_path=[str(title)], pages=[number]))
    if not blocks:
        raise LoadError("de PDF bevat geen tekst (mogelijk alleen scans; OCR wordt niet ondersteund)")
    return Document(doc_id=doc_id, title=str(title), source=source, blocks=blocks, doc_type="pdf")
