"""The read side of the index layout (see ingest.store): which generation is live, and its
manifest. Kept apart from the writer so that a reader can find its generation without
importing chromadb (half a second of a cold ``kringwijs ask``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kringwijs.settings import Settings

POINTER = "CURRENT"
MANIFEST = "manifest.json"


@dataclass
class Generation:
    name: str
    path: Path
    manifest: dict[str, Any]


def read_current(settings: Settings) -> Generation | None:
    """The generation readers should use, or None when nothing was ever indexed."""
    pointer = settings.index_dir / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = settings.index_dir / name
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return Generation(name=name, path=path, manifest=manifest)
