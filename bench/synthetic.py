"""A reproducible synthetic corpus of policy-like pages, built from the real document.

Sentences, headings, actions and the budget table of the bundled Uitvoeringsagenda are
reshuffled into new documents; years, amounts, percentages, FTE and place names are varied.
A share of the documents is written as PDF (reportlab), the rest as Markdown with the same
``<!-- page: N -->`` conventions as the bundled document. Same seed, same bytes.

Usage::

    info = generate(Path("/tmp/corpus"), pages=1000, seed=7)
    python -m bench.synthetic /tmp/corpus --pages 1000
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.loaders.markdown import parse_markdown
from ingest.sentences import split_sentences
from kringwijs.settings import BUNDLED_KNOWLEDGE

SOURCE = BUNDLED_KNOWLEDGE / "documents" / "uitvoeringsagenda-circulaire-samenleving-2025-2027.md"
PAGE_CHARS = 2400  # the real document averages about 2,400 characters per page
PLACES = [
    "Amersfoort", "Zeist", "Houten", "Nieuwegein", "Veenendaal", "Woerden", "IJsselstein", "De Bilt",
    "Bunnik", "Soest", "Baarn", "Leusden", "Rhenen", "Vianen", "Montfoort", "Lopik", "Wijk bij Duurstede",
    "Utrechtse Heuvelrug", "Stichtse Vecht", "De Ronde Venen", "Oudewater", "Renswoude", "Woudenberg",
]  # fmt: skip
KINDS = ["Uitvoeringsprogramma", "Actieplan", "Beleidsnota", "Werkplan", "Voortgangsrapportage", "Uitvoeringsagenda"]


@dataclass
class Pools:
    """Building blocks harvested from the real document."""

    sentences: list[str]
    headings2: list[str]
    headings3: list[str]
    actions: list[str]
    results: list[str]
    effects: list[str]
    list_items: list[str]
    table_header: list[str]
    table_rows: list[list[str]]


@dataclass
class CorpusInfo:
    """What was written: counts the ingest benchmark divides by."""

    root: Path
    files: list[Path] = field(default_factory=list)
    pages: int = 0
    pdf_pages: int = 0
    pdf_files: int = 0
    chars: int = 0


def harvest(path: Path = SOURCE) -> Pools:
    """Split the real document into reusable pieces (via the project's own Markdown parser)."""
    raw = path.read_text(encoding="utf-8")
    _, blocks = parse_markdown(raw, default_title=path.stem)
    sentences, items = [], []
    table_header: list[str] = []
    table_rows: list[list[str]] = []
    for block in blocks:
        if block.kind == "table" and block.table_header and block.table_rows:
            table_header, table_rows = block.table_header, block.table_rows
        elif block.kind == "list":
            items += [re.sub(r"^[-*+•]\s+", "", line) for line in block.text.splitlines() if line.strip()]
        elif block.kind == "paragraph" and not block.text.startswith("Actie:"):
            sentences += [s for s in split_sentences(block.text.replace("\n", " ")) if len(s) > 40]
    lines = raw.splitlines()
    return Pools(
        sentences=sentences,
        headings2=[line[3:].strip() for line in lines if line.startswith("## ")],
        headings3=sorted({line[4:].strip() for line in lines if line.startswith("### ")}),
        actions=[line[len("Actie:") :].strip() for line in lines if line.startswith("Actie:")],
        results=[_after(line, "Beoogd resultaat:**") for line in lines if "Beoogd resultaat:**" in line],
        effects=[_after(line, "Verwacht effect:**") for line in lines if "Verwacht effect:**" in line],
        list_items=[i for i in items if "Beoogd resultaat" not in i and "Verwacht effect" not in i],
        table_header=table_header,
        table_rows=table_rows,
    )


def _after(line: str, marker: str) -> str:
    return line.split(marker, 1)[1].strip()


class _Varier:
    """Per-document substitutions: shifted years, other amounts and percentages, another place."""

    def __init__(self, rng: random.Random, place: str, year_shift: int) -> None:
        self.rng, self.place, self.shift = rng, place, year_shift

    def __call__(self, text: str) -> str:
        rng = self.rng
        text = re.sub(r"\b(20[1-4]\d)\b", lambda m: str(int(m.group(1)) + self.shift), text)
        text = re.sub(r"€\s?[\d.]+(?:,\d+)?( miljoen)?", lambda m: _amount(rng, bool(m.group(1))), text)
        text = re.sub(r"\b\d{1,2}\s?%", lambda m: f"{rng.randrange(5, 95, 5)}%", text)
        text = re.sub(r"\b\d+,\d FTE", lambda m: f"{rng.randint(1, 12)},{rng.randint(0, 9)} FTE", text)
        text = re.sub(r"\bUtrechtse\b", f"{self.place}se", text)
        return re.sub(r"\bUtrecht\b", self.place, text)


def _amount(rng: random.Random, millions: bool) -> str:
    if millions:
        return f"€ {rng.randint(1, 9)},{rng.randint(0, 9)} miljoen"
    return f"€ {rng.randrange(25, 2000, 25) * 1000:,}".replace(",", ".")


def _page_blocks(rng: random.Random, pools: Pools, vary: _Varier, action_no: list[int]) -> list[tuple[str, str]]:
    """One page as (kind, text) blocks: kind is h2, h3, h4, p, action, list or table."""
    blocks: list[tuple[str, str]] = []
    if rng.random() < 0.35:
        blocks.append(("h2", vary(rng.choice(pools.headings2))))
    blocks.append(("h3", vary(rng.choice(pools.headings3))))
    size = 0
    while size < PAGE_CHARS:
        roll = rng.random()
        if roll < 0.55:
            text = " ".join(vary(s) for s in rng.sample(pools.sentences, rng.randint(3, 6)))
            blocks.append(("p", text))
        elif roll < 0.80 and pools.actions:
            action_no[0] += 1
            blocks.append(("h4", f"Actie {action_no[0]}"))
            text = "\n".join(
                [
                    f"Actie: {vary(rng.choice(pools.actions))}",
                    f"Beoogd resultaat: {vary(rng.choice(pools.results))}",
                    f"Verwacht effect: {vary(rng.choice(pools.effects))}",
                ]
            )
            blocks.append(("action", text))
        elif roll < 0.95 and pools.list_items:
            items = rng.sample(pools.list_items, min(len(pools.list_items), rng.randint(3, 5)))
            blocks.append(("list", "\n".join(vary(i) for i in items)))
        else:
            rows = rng.sample(pools.table_rows, min(len(pools.table_rows), rng.randint(4, 8)))
            lines = [" | ".join(vary(c) for c in pools.table_header)]
            lines += [" | ".join(vary(c) for c in row) for row in rows]
            blocks.append(("table", "\n".join(lines)))
        size += len(blocks[-1][1])
    return blocks


def _markdown(meta: dict[str, str | int], pages: list[list[tuple[str, str]]]) -> str:
    out = ["---", *(f'{k}: "{v}"' if isinstance(v, str) else f"{k}: {v}" for k, v in meta.items()), "---", ""]
    out += [f"# {meta['title']}", ""]
    for number, blocks in enumerate(pages, start=1):
        out += [f"<!-- page: {number} -->", ""]
        for kind, text in blocks:
            if kind in ("h2", "h3", "h4"):
                out += ["#" * int(kind[1]) + " " + text, ""]
            elif kind == "action":
                first, *rest = text.splitlines()
                out += [first, ""]
                for line in rest:
                    label, _, body = line.partition(": ")
                    out += [f"- **{label}:** {body}", ""]
            elif kind == "list":
                out += [*(f"- {line}" for line in text.splitlines()), ""]
            elif kind == "table":
                header, *rows = text.splitlines()
                out += [f"| {header} |", "| " + " | ".join("---" for _ in header.split(" | ")) + " |"]
                out += [*(f"| {row} |" for row in rows), ""]
            else:
                out += [text, ""]
    return "\n".join(out)


def _pdf(path: Path, title: str, pages: list[list[tuple[str, str]]]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)  # reproducible bytes
    pdf.setTitle(title)
    width, height = A4
    for number, blocks in enumerate(pages, start=1):
        y = height - 60
        for kind, text in blocks:
            bold = kind in ("h2", "h3", "h4")
            font, size = ("Helvetica-Bold", 11) if bold else ("Helvetica", 9)
            pdf.setFont(font, size)
            for para in text.splitlines():
                for line in simpleSplit(para, font, size, width - 120):
                    if y < 50:  # overflow continues on a fresh sheet (rare; pages are sized to fit)
                        pdf.showPage()
                        pdf.setFont(font, size)
                        y = height - 60
                    pdf.drawString(60, y, line)
                    y -= size + 3
            y -= 12  # a visible gap: pypdf turns it into a paragraph break
        pdf.setFont("Helvetica", 8)
        pdf.drawString(width / 2, 30, str(number))
        pdf.showPage()
    pdf.save()


def generate(out: Path, pages: int = 1000, *, seed: int = 7, pdf_share: float = 0.3) -> CorpusInfo:
    """Write about ``pages`` pages of documents (6 to 14 pages each) under ``out``."""
    rng = random.Random(seed)
    pools = harvest()
    out.mkdir(parents=True, exist_ok=True)
    info = CorpusInfo(root=out)
    number = 0
    while info.pages < pages:
        number += 1
        place, shift = rng.choice(PLACES), rng.randint(-6, 8)
        vary = _Varier(rng, place, shift)
        theme = re.sub(r"^(Thema \d[:.]?\s*)", "", rng.choice(pools.headings2))
        start = 2025 + shift
        title = f"{rng.choice(KINDS)} {theme} {place} {start}-{start + rng.randint(2, 4)}"
        count = min(rng.randint(6, 14), pages - info.pages)
        action_no = [0]
        doc_pages = [_page_blocks(rng, pools, vary, action_no) for _ in range(count)]
        stem = f"synth-{number:05d}-{re.sub(r'[^a-z0-9]+', '-', place.lower())}"
        as_pdf = rng.random() < pdf_share
        if as_pdf:
            path = out / f"{stem}.pdf"
            _pdf(path, title, doc_pages)
            info.pdf_pages += count
            info.pdf_files += 1
        else:
            path = out / f"{stem}.md"
            meta: dict[str, str | int] = {
                "doc_id": stem,
                "title": title,
                "publisher": f"Gemeente {place}",
                "year": start,
                "doc_type": "beleid",
                "audience": "internal" if rng.random() < 0.1 else "public",
                "language": "nl",
            }
            path.write_text(_markdown(meta, doc_pages), encoding="utf-8")
        info.files.append(path)
        info.pages += count
        info.chars += sum(len(text) for page in doc_pages for _, text in page)
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pdf-share", type=float, default=0.3)
    args = parser.parse_args(argv)
    info = generate(args.out, args.pages, seed=args.seed, pdf_share=args.pdf_share)
    print(f"{len(info.files)} bestanden, {info.pages} pagina's ({info.pdf_pages} als PDF), {info.chars} tekens")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
