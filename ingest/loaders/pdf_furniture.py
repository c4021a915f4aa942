"""Page furniture: running headers and footers, page numbers and table-of-contents lines.

None of it is content. Left in, it lands in every page's passages and answers ("… per
jaar. Pagina 6 van 21"), and de-hyphenation glues it onto words ("CSRDPagina 14 van 21").
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.loaders.pdf_layout import Line, PageLines

# How far from the top or bottom edge a running header or footer may sit.
_ZONE = 0.12
# A well-formed roman numeral ("iv", "xii"), not any word made of those letters ("mild").
_ROMAN = r"(?=[ivxlcdm])m{0,3}(?:c[md]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})"
PAGE_NUMBER = re.compile(
    rf"^(?:(?:pagina|page|blz\.?|bladzijde|p\.)\s*)?[-–—(\[]?\s*(\d{{1,3}}|{_ROMAN})\s*[-–—)\]]?"
    rf"(?:\s*(?:van|of|/|\|)\s*\d{{1,4}})?$",
    re.IGNORECASE,
)
# "Inleiding ........ 3", "Thema 1 … 5": the dot leaders of a table of contents.
TOC_LINE = re.compile(r"(?:\.\s?){4,}\s*\S{0,6}$|…{2,}\s*\S{0,6}$")


def _shape(text: str) -> str:
    """Text with its numbers blanked, so 'Pagina 6 van 21' and 'Pagina 7 van 21' match."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _edge_lines(page: PageLines) -> list[Line]:
    text = [line for line in page.lines if line.text]
    top = [line for line in text if line.bottom <= page.height * _ZONE]
    bottom = [line for line in text if line.top >= page.height * (1 - _ZONE)]
    return top + bottom


def printed_number(page: PageLines) -> int | None:
    """The page number printed in the header or footer, if there is one."""
    for line in _edge_lines(page):
        match = PAGE_NUMBER.match(line.text.strip())
        if match and match.group(1).isdigit():
            return int(match.group(1))
    return None


def strip_furniture(pages: list[PageLines]) -> None:
    """Remove running headers and footers, page numbers and contents lines, in place."""
    repeats: Counter[tuple[str, int]] = Counter()
    for page in pages:
        seen = {(_shape(line.text), round(line.top / 6)) for line in _edge_lines(page)}
        repeats.update(seen)
    # A line is running furniture when it recurs, in the same place, on most pages.
    needed = max(2, int(len(pages) * 0.5)) if len(pages) > 1 else 2
    running = {key for key, count in repeats.items() if count >= needed}
    for page in pages:
        edges = {id(line) for line in _edge_lines(page)}
        kept = []
        for line in page.lines:
            if id(line) in edges and (
                (_shape(line.text), round(line.top / 6)) in running or PAGE_NUMBER.match(line.text.strip())
            ):
                continue
            if line.text and TOC_LINE.search(line.text):
                continue
            kept.append(line)
        page.lines = kept
