"""Lines of a PDF page in reading order, from pdfplumber's positioned words.

What a plain text dump gets wrong, and what this module does instead:
- two columns: a vertical gutter is detected per page and each column is read top to
  bottom, instead of interleaving the columns line by line;
- tables: words inside a detected table are left to ``pdf_tables`` (one row per chunk);
- fonts: each line keeps its size and weight, so headings can be told from body text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median
from typing import Any

_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
# Wider than the space between two words of justified text, narrower than any real gutter.
_CORRIDOR = 10.0
# A glyph without a Unicode mapping; at the start of a line it is almost always a bullet.
_FOOTNOTE_REF = re.compile(r"\d{1,2}|[*†‡]+")
_PUNCT = re.compile(r"[.,;:!?)\]]+")
_CID = re.compile(r"\(cid:\d+\)")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int  # 0-based physical page index
    column: int = 0  # 0: full width or left column, 1: right column
    # A table found at this place in the reading order (the line then has no text).
    table: Any = None
    gap_before: float = 0.0  # vertical space to the previous line in the same column
    # The number of a footnote this line starts ("⁴ Architecten zijn …"), without the number in text.
    note: str | None = None


@dataclass
class PageLines:
    index: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


def _inside(word: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1


def _line_text(row: list[dict]) -> str:
    """The words of one line; footnote references (small raised digits) are left out,
    so "samenleving² ." reads "samenleving."."""
    main = max((w["size"] for w in row if any(ch.isalnum() for ch in w["text"])), default=0.0)
    text, dropped = "", False
    for i, word in enumerate(row):
        if i and word["size"] <= main * 0.85 and _FOOTNOTE_REF.fullmatch(word["text"]):
            dropped = True
            continue
        if text and not (dropped and _PUNCT.fullmatch(word["text"])):
            text += " "
        text += word["text"]
        dropped = False
    return text


def _group_lines(words: list[dict], page: int) -> list[Line]:
    """Words with (nearly) the same baseline form one line, left to right."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) <= max(2.0, word["size"] * 0.4):
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        text = _line_text(row)
        if _CID.search(text):
            text = " ".join(_CID.sub("", _CID.sub("•", text, count=1) if text.startswith("(cid:") else text).split())
        # Bullet glyphs are often set in another size than the text they mark.
        letters = [w for w in row if any(ch.isalnum() for ch in w["text"]) and not w["text"].startswith("(cid:")]
        letters = letters or row
        size = max(w["size"] for w in letters)
        bold = all(_BOLD.search(w.get("fontname", "")) for w in letters)
        note = None
        first = row[0]
        if len(row) > 1 and first["size"] <= size * 0.85 and re.fullmatch(r"\d{1,3}", first["text"]):
            note, text = first["text"], text[len(first["text"]) :].strip()
        lines.append(
            Line(
                text=text,
                x0=row[0]["x0"],
                x1=row[-1]["x1"],
                top=min(w["top"] for w in row),
                bottom=max(w["bottom"] for w in row),
                size=round(size, 1),
                bold=bold,
                page=page,
                note=note,
            )
        )
    return lines


def _gutter(words: list[dict], width: float) -> float | None:
    """The x of a column gutter, when the page is laid out in two columns.

    A gutter is an empty vertical corridor (wider than any word space) in the middle of
    the page that (almost) no word crosses, with several lines of text on both sides."""
    if len(words) < 20:
        return None
    half = _CORRIDOR / 2
    best_x, best_cross = None, None
    for step in range(int(width * 0.3), int(width * 0.7), 2):
        x = float(step)
        crossing = sum(1 for w in words if w["x0"] < x + half and w["x1"] > x - half)
        if best_cross is None or crossing < best_cross:
            best_x, best_cross = x, crossing
    if best_x is None or best_cross is None or best_cross > len(words) * 0.03:
        return None
    left_rows = {round(w["top"]) for w in words if w["x1"] <= best_x}
    right_rows = {round(w["top"]) for w in words if w["x0"] >= best_x}
    if min(len(left_rows), len(right_rows)) < 3:
        return None
    return best_x


def page_lines(page: Any, index: int, table_boxes: list[tuple[float, float, float, float]]) -> PageLines:
    """All text lines of one pdfplumber page in reading order; tables are left out."""
    words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False, x_tolerance=1.5)
    words = [w for w in words if not any(_inside(w, box) for box in table_boxes)]
    result = PageLines(index=index, width=float(page.width), height=float(page.height))
    gutter = _gutter(words, float(page.width))
    if gutter is None:
        result.lines = _group_lines(words, index)
    else:
        # A line with a word across the gutter (a running header, a heading over both
        # columns) is read whole, all its words together.
        crossing_tops = [w["top"] for w in words if w["x0"] < gutter < w["x1"]]
        spanning = [w for w in words if any(abs(w["top"] - top) <= 2.0 for top in crossing_tops)]
        span_lines = _group_lines(spanning, index)
        # A line that crosses the gutter (a heading over both columns) splits the page
        # into bands; within a band the left column is read before the right one.
        bands: list[float] = sorted(line.top for line in span_lines)
        ordered: list[Line] = []
        spanning_ids = {id(w) for w in spanning}
        rest = [w for w in words if id(w) not in spanning_ids]
        edges = [-1.0, *bands, float(page.height) + 1]
        for start, end in pairwise(edges):
            ordered.extend(line for line in span_lines if line.top == start)
            band = [w for w in rest if start <= w["top"] < end]
            for column, side in enumerate(
                ([w for w in band if w["x1"] <= gutter], [w for w in band if w["x0"] >= gutter])
            ):
                for line in _group_lines(side, index):
                    line.column = column
                    ordered.append(line)
        result.lines = ordered
    for table in table_boxes:
        x0, top, x1, bottom = table
        marker = Line(text="", x0=x0, x1=x1, top=top, bottom=bottom, size=0.0, bold=False, page=index, table=table)
        result.lines.append(marker)
    if gutter is None:
        result.lines.sort(key=lambda line: line.top)
    else:
        # Keep the column order; only slot the tables in by their position.
        tables = [line for line in result.lines if line.table]
        text = [line for line in result.lines if not line.table]
        for table_line in tables:
            at = next((i for i, line in enumerate(text) if line.column == 0 and line.top > table_line.top), len(text))
            text.insert(at, table_line)
        result.lines = text
    _set_gaps(result.lines)
    return result


def _set_gaps(lines: list[Line]) -> None:
    previous: dict[int, Line] = {}
    for line in lines:
        before = previous.get(line.column)
        line.gap_before = line.top - before.bottom if before else 0.0
        previous[line.column] = line


def body_size(pages: list[PageLines]) -> float:
    """The font size most text is set in (weighted by characters)."""
    weight: dict[float, int] = {}
    for page in pages:
        for line in page.lines:
            if line.text:
                weight[line.size] = weight.get(line.size, 0) + len(line.text)
    return max(weight, key=lambda size: weight[size]) if weight else 10.0


def typical_gap(pages: list[PageLines], size: float) -> float:
    """The usual space between two lines of one paragraph in body text."""
    gaps = [
        line.gap_before
        for page in pages
        for line in page.lines
        if line.text and abs(line.size - size) < 0.3 and 0 < line.gap_before < size * 2
    ]
    return median(gaps) if gaps else size * 0.3
