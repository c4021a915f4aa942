"""Turn ranked evidence into a short answer with numbered citations (no LLM).

The answer quotes the 1–3 best evidence units, trimmed to the part that answers the
question; it never pastes whole chunks.
"""

from __future__ import annotations

import re

from assistant.evidence import ScoredUnit
from assistant.query import QueryAnalysis
from assistant.schema import Citation
from assistant.text import content_stems, fold

_LIST_TYPES = {"list", "why", "how"}


def focus_table_row(text: str, years: list[str]) -> str:
    """'VTH — Budget 2025: € 300.000; Budget 2026 en 2027: € 400.000' asked for 2026 ->
    'VTH — Budget 2026 en 2027: € 400.000'. Without a year the whole row is kept."""
    if not years or " — " not in text:
        return text
    label, _, cells = text.partition(" — ")
    parts = [c for c in cells.split("; ") if any(y in c.split(":")[0] for y in years)]
    return f"{label} — {'; '.join(parts)}" if parts else text


def trim(text: str, analysis: QueryAnalysis, limit: int) -> str:
    """Cut a long sentence to the clause window that best matches the question."""
    if len(text) <= limit:
        return text
    clauses = re.split(r"(?<=[,;:])\s+|\s+(?=\()", text)
    wanted = set(analysis.stems)
    facts = [fold(f) for f in analysis.must_match]
    best, best_score = text[:limit], -1.0
    for i in range(len(clauses)):
        window = ""
        for j in range(i, len(clauses)):
            candidate = (window + " " + clauses[j]).strip()
            if len(candidate) > limit - 2:
                break
            window = candidate
            score = len(wanted & set(content_stems(window))) + sum(2 for f in facts if f in fold(window))
            if analysis.answer_type == "amount" and "€" in window:
                score += 2
            score -= 0.001 * len(window)
            if score > best_score:
                best, best_score = window, score
    prefix = "… " if not text.startswith(best) else ""
    suffix = " …" if not text.endswith(best) else ""
    return f"{prefix}{best}{suffix}"


def select(ranked: list[ScoredUnit], analysis: QueryAnalysis) -> list[ScoredUnit]:
    """The best unit, plus close runners-up that add a different fact."""
    if not ranked:
        return []
    best = ranked[0]
    chosen = [best]
    many = analysis.answer_type in _LIST_TYPES
    limit = 3 if many else 2
    threshold = best.score * (0.85 if many else 0.92)
    for cand in ranked[1:]:
        if len(chosen) >= limit or cand.score < threshold:
            break
        if any(c.unit.text == cand.unit.text for c in chosen):
            continue
        # Stay with the passages the best unit came from unless the runner-up is as good.
        if cand.hit.chunk_id != best.hit.chunk_id and cand.score < best.score * 0.97 and not many:
            continue
        chosen.append(cand)
    return chosen


def compose(chosen: list[ScoredUnit], analysis: QueryAnalysis, max_chars: int) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers, and the citations they point to (numbered from 1)."""
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    pieces: list[str] = []
    per_piece = max_chars // max(1, len(chosen)) if len(chosen) > 1 else max_chars
    # Keep the document order of quoted units so the answer reads naturally.
    ordered = sorted(chosen, key=lambda s: (s.hit_rank, s.unit.index)) if len(chosen) > 1 else chosen
    for scored in ordered:
        hit = scored.hit
        if hit.chunk_id not in numbers:
            numbers[hit.chunk_id] = len(numbers) + 1
            meta = hit.meta
            citations.append(
                Citation(
                    n=numbers[hit.chunk_id],
                    doc_id=str(meta.get("doc_id", "")),
                    title=str(meta.get("title", "")),
                    section=str(meta.get("section", "")),
                    page=int(meta["page"]) if meta.get("page") else None,
                    text=hit.text,
                    score=round(scored.score, 4),
                    chunk_id=hit.chunk_id,
                    kind=str(meta.get("kind", "text")),
                    notice=str(meta["status_notice"]) if meta.get("status_notice") else None,
                    checked=str(meta["checked"]) if meta.get("checked") else None,
                )
            )
        text = scored.unit.text
        if hit.meta.get("kind") == "table_row":
            text = focus_table_row(text, analysis.years)
        text = trim(text, analysis, per_piece - 6)
        pieces.append(f"{text.rstrip()} [{numbers[hit.chunk_id]}]")
    body = " ".join(pieces)
    notices = []
    for c in citations:
        if c.notice and c.notice not in notices:
            notices.append(c.notice)
    if analysis.language == "en":
        body = f"According to the source (in Dutch): {body}"
    if notices:
        body = f"{body}\n{' '.join(notices)}"
    return body, citations
