"""Which files an ingest run looks at, and how each kind is loaded."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders.errors import LoadError
from ingest.loaders.html import load_html
from ingest.loaders.markdown import load_markdown
from ingest.loaders.pdf import load_pdf
from ingest.loaders.records import load_record_documents, record_files
from ingest.loaders.text import load_text
from ingest.loaders.word import load_docx
from ingest.models import Document

Loader = Callable[..., Document]
LOADERS: dict[str, Loader] = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".pdf": load_pdf,
    ".txt": load_text,
    ".text": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".docx": load_docx,
}
RECORDS_KEY = "knowledge-records"


@dataclass
class SourceUnit:
    """One thing that is hashed and (re-)ingested as a whole: a file, or all record YAML."""

    key: str
    root: str
    files: list[Path]

    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for path in self.files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def load(self) -> list[Document]:
        if self.key.endswith(RECORDS_KEY):
            return load_record_documents(Path(self.root))
        path = self.files[0]
        loader = LOADERS[path.suffix.lower()]
        return [loader(path, doc_id=doc_id_for(path), source=str(path))]


def doc_id_for(path: Path) -> str:
    """Stable across runs for the same file location (front matter may override it)."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"
    return f"{slug}-{hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:6]}"


def discover(root: Path) -> tuple[list[SourceUnit], dict[str, str]]:
    """Supported files under ``root`` (a folder or one file); unsupported ones are reported."""
    root = root.expanduser().resolve()
    skipped: dict[str, str] = {}
    if root.is_file():
        if root.suffix.lower() not in LOADERS:
            skipped[str(root)] = f"bestandstype '{root.suffix}' wordt niet ondersteund"
            return [], skipped
        return [SourceUnit(str(root), str(root), [root])], skipped
    if not root.is_dir():
        raise LoadError(f"'{root}' bestaat niet")
    units: list[SourceUnit] = []
    records = record_files(root)
    if records:
        units.append(SourceUnit(f"{root}#{RECORDS_KEY}", str(root), records))
    record_set = set(records)
    for path in sorted(root.rglob("*")):
        # "~$nota.docx" is Word's lock file for an open document, not a document.
        if not path.is_file() or path in record_set or path.name.startswith((".", "~$")):
            continue
        if path.name.lower() == "readme.md":
            continue  # folder documentation, not knowledge
        if path.suffix.lower() in LOADERS:
            units.append(SourceUnit(str(path), str(root), [path]))
        elif path.suffix.lower() not in {".yaml", ".yml", ".py", ".pyc", ".json"}:
            skipped[str(path)] = f"bestandstype '{path.suffix or '(geen)'}' wordt niet ondersteund"
    return units, skipped
