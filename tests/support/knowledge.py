"""Small knowledge files that several ingest tests index."""

from __future__ import annotations

from pathlib import Path

NOTA = (
    "---\ntitle: Nota afvalbeleid\ndoc_id: nota-afval\n---\n# Nota afvalbeleid\n\n"
    "## Doelen\n\nDe gemeente Zeist wil in 2030 het restafval halveren tot 50 kilo per inwoner.\n"
)


def write_nota(root: Path) -> Path:
    """``nota.md``: one policy goal with a place, a year and a figure."""
    path = root / "nota.md"
    path.write_text(NOTA, encoding="utf-8")
    return path
