"""Turn ranked evidence into a short answer with numbered citations (no LLM).

The answer quotes the 1–3 best evidence units, trimmed to the part that answers the
question; it never pastes whole chunks.
"""

from __future__ import annotations

import re

from assistant.evidence import ScoredUnit, distinctive_overlap, has_answer_type, record_field
from assistant.query import QueryAnalysis
from assistant.schema import Citation
from assistant.scorer import Closeness
from assistant.text import MONTHS, content_stems, fold

_LIST_TYPES = {"list", "why", "how"}
# Our own note on how a criterion was classified ("Het ambitieniveau is een indeling door
# Kringwijs.") closes many criteria's explanation. Quoted as the sentence after the best one,
# it sat in 3 % of all answers (52 of 1,782 on users/test) and answers nothing about the
# criterion; a question about the classification itself still gets it as its best unit.
_CLASSIFICATION_NOTE = re.compile(r"\bindeling door Kringwijs\b")
EN_PREFIX = "According to the source (in Dutch): "


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
            score = float(len(wanted & set(content_stems(window))) + sum(2 for f in facts if f in fold(window)))
            if analysis.answer_type == "amount" and "€" in window:
                score += 2
            # Equal matches: keep the longer window. Preferring the shorter one turned a
            # sentence with no question word in it into a bare "… voldoen.".
            score += 0.0001 * len(window)
            if score > best_score:
                best, best_score = window, score
    prefix = "… " if not text.startswith(best) else ""
    suffix = " …" if not text.endswith(best) else ""
    return f"{prefix}{best}{suffix}"


def _total_row_for(best: ScoredUnit, ranked: list[ScoredUnit], analysis: QueryAnalysis) -> ScoredUnit | None:
    """The total row of the table the best unit is a row of, for a question that asks a total.

    Issue #12 asks that "totaal" questions answer with the total row. That is read from the
    table's structure rather than learned: the one table with a total row (the finance table)
    is a test passage, so the fitted weight of ``total_row`` rests on three training questions
    and ranked a theme row first ("What is the total budget in 2027?"). A question that names
    the row itself ("Hoeveel krijgt VTH in totaal?") keeps that row."""
    if not best.signals.get("table_row"):
        return None
    label = best.unit.text.split(" — ")[0]
    if set(content_stems(label)) & set(analysis.stems):
        return None
    table = best.hit.meta.get("section")
    return next((c for c in ranked if c.signals.get("total_row") and c.hit.meta.get("section") == table), None)


def _with_requirement(chosen: list[ScoredUnit], ranked: list[ScoredUnit], max_chars: int) -> list[ScoredUnit]:
    """A criterion's kind ("… is een contractbepaling") says nothing of what it demands: when it
    is the best unit, the criterion's own text comes right after it, before any runner-up."""
    best = chosen[0]
    if record_field(best.hit, best.unit) != "Type":
        return chosen
    text = next(
        (c for c in ranked if c.hit.chunk_id == best.hit.chunk_id and record_field(c.hit, c.unit) == "Criteriumtekst"),
        None,
    )
    if text is None or any(c is text for c in chosen):
        return chosen
    out = [best, text, *chosen[1:]]
    while len(out) > 2 and sum(len(c.unit.text) for c in out) > max_chars:
        out.pop()
    return out


def select(
    ranked: list[ScoredUnit], analysis: QueryAnalysis, max_chars: int, close: Closeness = Closeness()
) -> list[ScoredUnit]:
    """The best unit, close runners-up that add a different fact, and the sentences that
    directly follow the best one in its passage (they often carry the actual answer).
    ``close`` says how close a runner-up must be (fitted gaps; see ``Closeness``)."""
    if not ranked:
        return []
    best = ranked[0]
    if not has_answer_type(analysis.answer_type, best.unit.text):
        # "Hoeveel winnaars…": prefer a near-best unit that contains a number over one that only
        # repeats the question, provided it is about the same words.
        for cand in ranked[1:]:
            if not close.within(best.score, cand.score, "swap"):
                break
            # English questions share no words with the Dutch text: there the vectors decide.
            same_subject = (
                cand.dense >= best.dense - 0.03
                if analysis.language == "en"
                else cand.lexical >= 0.6 * best.lexical
                and distinctive_overlap(analysis, cand.unit.text + " " + str(cand.hit.meta.get("section", "")))
            )
            if has_answer_type(analysis.answer_type, cand.unit.text) and same_subject:
                best = cand
                break
    total = _total_row_for(best, ranked, analysis)
    if total is not None:
        return [total]
    chosen = [best]
    many = analysis.answer_type in _LIST_TYPES
    cap = 3 if many else 2
    for cand in ranked:
        if len(chosen) >= cap or not close.within(best.score, cand.score, "listing" if many else "same"):
            break
        if any(c.unit.text == cand.unit.text for c in chosen):
            continue
        if cand.hit.chunk_id != best.hit.chunk_id and not many and not close.within(best.score, cand.score, "cross"):
            continue
        if sum(len(c.unit.text) for c in chosen) + len(cand.unit.text) > max_chars:
            continue  # a runner-up must not force the best evidence to be cut short
        chosen.append(cand)
    chosen = _with_requirement(chosen, ranked, max_chars)
    by_key = {(s.hit.chunk_id, s.unit.index): s for s in ranked}
    length = sum(len(c.unit.text) for c in chosen)
    nxt = best.unit.index + 1
    # A lead-in ending in ':' brings its own list (see _with_list); no extra followers then.
    while not best.unit.text.endswith(":") and (best.hit.chunk_id, nxt) in by_key and len(chosen) < cap + 2:
        follower = by_key[(best.hit.chunk_id, nxt)]
        if follower.off_topic_field or _CLASSIFICATION_NOTE.search(follower.unit.text):
            break  # the next record field ("Status: …") is not the rest of this answer
        if length + len(follower.unit.text) > max_chars:
            break
        if all(c.unit.text != follower.unit.text for c in chosen):
            chosen.append(follower)
            length += len(follower.unit.text)
        nxt += 1
    return chosen


def _with_list(text: str, scored: ScoredUnit, limit: int) -> str:
    """A unit that ends in ':' introduces a list: quote the items that follow it, shortened
    to their labels ("Klimaat: CO2-reductie …" -> "Klimaat") when the full items do not fit."""
    items = list(scored.hit.meta.get("_units") or [])[scored.unit.index + 1 :]
    if not items:
        return text
    full = f"{text} " + "; ".join(items) + "."
    if len(full) <= limit:
        return full
    labels = [item.split(":", 1)[0] if ":" in item[:70] else item for item in items]
    out = text
    for label in labels:
        if len(out) + len(label) + 2 > limit:
            out += " …"
            break
        out = f"{out} {label};" if out.endswith(":") or out.endswith(";") else f"{out}; {label}"
    return out.rstrip(";") + ("" if out.endswith("…") else ".")


# A record's labelled field, quoted as a sentence that names the scheme or rule it belongs to
# ("Bedragen: 50% van de kosten" -> "Subsidie X: 50% van de kosten"). {name} is the record's
# name, {text} the field's text; the label itself is never shown.
_FIELD_SENTENCES = {
    "Aanbieder": "{name} wordt aangeboden door {text}",
    "Waarvoor": "{name} is bedoeld voor: {text}",
    "Voor wie": "{name} is er voor: {text}",
    "Bedragen": "{name}: {text}",
    "Status": "Stand van {name}: {text}",
    "Sluitingsdatum volgens de bron": "{name} sluit volgens de bron op {text}",
    "Verantwoordelijke overheid": "Verantwoordelijk voor {name}: {text}",
    "Van toepassing op": "{name} geldt voor: {text}",
    "Criteriumtekst": "{name}: {text}",
    "Bewijsmiddel": "Bewijsmiddel bij {name}: {text}",
    "Type": "{name} is een {text}",
    "Ambitieniveau": "{name} heeft ambitieniveau {text}",
    "Thema's van het Manifest MVOI": "{name} valt onder de MVOI-thema's {text}",
    "Meer informatie": "Meer informatie over {name}: {text}",
    "Voorwaarden": "Voorwaarden voor {name}:",
    "Belangrijkste punten": "Belangrijkste punten van {name}:",
}
# The same fields when an earlier quote of the answer already named the record: naming it again
# ("… (Bedrijfskleding): … Bewijsmiddel bij Gevaarlijke stoffen in kleding beperkt
# (Bedrijfskleding): testrapport …") reads as a dump and spends the length budget twice.
_FIELD_FOLLOW_UPS = {
    "Aanbieder": "Aangeboden door {text}",
    "Waarvoor": "Bedoeld voor: {text}",
    "Voor wie": "Voor: {text}",
    "Bedragen": "{text}",
    "Status": "Stand van zaken: {text}",
    "Sluitingsdatum volgens de bron": "Sluit volgens de bron op {text}",
    "Verantwoordelijke overheid": "Verantwoordelijk: {text}",
    "Van toepassing op": "Geldt voor: {text}",
    "Criteriumtekst": "{text}",
    "Bewijsmiddel": "Als bewijs: {text}",
    "Type": "Het is een {text}",
    "Ambitieniveau": "Ambitieniveau {text}",
    "Thema's van het Manifest MVOI": "MVOI-thema's: {text}",
    "Meer informatie": "Meer informatie: {text}",
    "Voorwaarden": "De voorwaarden:",
    "Belangrijkste punten": "De belangrijkste punten:",
}
_LABEL = re.compile(r"^([A-Z][\w' ]{2,40}):\s*(.*)$", re.DOTALL)


def _record_name(meta: dict) -> str:
    return str(meta.get("name") or meta.get("title") or "")


def readable(text: str, meta: dict, *, named: bool = False) -> str:
    """A record field without its label, as a sentence naming the record; other text as is.
    ``named``: an earlier quote of the same answer named the record already."""
    name = _record_name(meta)
    match = _LABEL.match(text)
    if meta.get("kind") != "record" or not name or not match or match.group(1) not in _FIELD_SENTENCES:
        return text
    body = match.group(2).strip()
    # "Groepen van 3 tot 6 ondernemers" continues a sentence here: lower-case an ordinary
    # first word, never an acronym or a name ("RVO", "Provincie Utrecht").
    if body[:2].istitle() and body[1:2].islower() and match.group(1) not in {"Criteriumtekst", "Bedragen"}:
        body = body[0].lower() + body[1:]
    template = (_FIELD_FOLLOW_UPS if named else _FIELD_SENTENCES)[match.group(1)]
    return template.format(name=name, text=body).replace("..", ".")


def _merge_kind(chosen: list[ScoredUnit], shown: dict[int, str], max_chars: int) -> dict[int, str]:
    """A criterion's kind and its text, both quoted, read as one sentence that names the
    criterion once ("X (Catering) is een minimumeis: De inschrijver …"). Quoted apart, the
    name came twice, and the length budget then dropped the kind, so "is dit een eis of een
    gunningscriterium?" was answered without it. The better-scored of the two carries the
    sentence; the other is dropped from ``chosen``. Only when all that is quoted then fits:
    otherwise the weakest unit is left out as before, which keeps a third unit (the asked
    "Bewijsmiddel") over the criterion's text. Returns the merged sentences by unit."""
    merged: dict[int, str] = {}
    for kind in [c for c in chosen if record_field(c.hit, c.unit) == "Type"]:
        text = next(
            (
                c
                for c in chosen
                if c.hit.chunk_id == kind.hit.chunk_id and record_field(c.hit, c.unit) == "Criteriumtekst"
            ),
            None,
        )
        name = _record_name(kind.hit.meta)
        if text is None or not name:
            continue
        kind_body, text_body = _LABEL.match(kind.unit.text), _LABEL.match(text.unit.text)
        if kind_body is None or text_body is None:
            continue
        keep, drop = (kind, text) if kind.score >= text.score else (text, kind)
        label = kind_body.group(2).strip().rstrip(".")
        sentence = f"{name} is een {label}: {text_body.group(2).strip()}"
        rest = sum(len(shown[id(c)]) + 5 for c in chosen if c is not keep and c is not drop)
        if rest + len(sentence) + 5 > max_chars:
            continue
        shown[id(keep)] = merged[id(keep)] = sentence
        chosen.remove(drop)
    return merged


def _in_order(chosen: list[ScoredUnit]) -> list[ScoredUnit]:
    """Quoted units in the order of their passages and, within one, of the text."""
    return sorted(chosen, key=lambda s: (s.hit_rank, s.unit.index)) if len(chosen) > 1 else chosen


def _shown(chosen: list[ScoredUnit]) -> dict[int, str]:
    """Each unit as it reads in the answer: a record's fields after the first one quoted (in
    reading order) do not name the record again."""
    seen: set[str] = set()
    out = {}
    for c in _in_order(chosen):
        out[id(c)] = readable(c.unit.text, c.hit.meta, named=c.hit.chunk_id in seen)
        seen.add(c.hit.chunk_id)
    return out


def _dutch_date(iso: str) -> str:
    try:
        year, month, day = (int(x) for x in iso[:10].split("-"))
        return f"{day} {MONTHS[month - 1]} {year}"
    except (ValueError, IndexError):
        return iso


def _section_label(meta: dict) -> str:
    """The heading path, or '' where it only repeats the title (a record is its own section)."""
    section = str(meta.get("section", ""))
    return "" if section == str(meta.get("title", "")) else section


def compose(chosen: list[ScoredUnit], analysis: QueryAnalysis, max_chars: int) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers, and the citations they point to (numbered from 1)."""
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    pieces: list[tuple[int, str]] = []
    # Only the main scheme's status line: two would crowd out the answer itself.
    notice = chosen[0].hit.meta.get("status_notice") if chosen else None
    notices = [str(notice)] if notice else []
    checked = chosen[0].hit.meta.get("checked") if chosen else None
    if checked and chosen[0].hit.meta.get("doc_type") in {"subsidie", "regelgeving"}:
        # Schemes and rules change: say how fresh the source is.
        notices.append(f"(Bron gecontroleerd op {_dutch_date(str(checked))}.)")
    # A scheme's status line is part of the answer, so it shares the length budget.
    max_chars -= sum(len(n) + 1 for n in notices)
    # Over budget: the best unit is never cut while it fits on its own, and an extra unit is
    # never cut to less than half of itself ("… … de Subsidieregeling …" reads as noise);
    # the weakest extra unit is dropped instead, until both hold.
    chosen = list(chosen)
    shown = _shown(chosen)
    merged = _merge_kind(chosen, shown, max_chars)

    def size(c: ScoredUnit) -> int:
        return len(shown[id(c)])

    while len(chosen) > 1:
        total = sum(size(c) + 5 for c in chosen)
        if total <= max_chars:
            break
        share = max_chars // len(chosen)

        def allotted(c: ScoredUnit, total: int = total, share: int = share) -> int:
            return max(share, max_chars - (total - size(c) - 5))

        best_whole = allotted(chosen[0]) >= size(chosen[0]) or size(chosen[0]) > max_chars
        extras_readable = all(allotted(c) >= size(c) / 2 for c in chosen[1:])
        if best_whole and extras_readable:
            break
        chosen.remove(min(chosen[1:], key=lambda c: c.score))
    # Dropping a unit may have dropped the quote that named a record: it is named again then.
    kept = {id(c) for c in chosen}
    shown = {**_shown(chosen), **{k: v for k, v in merged.items() if k in kept}}
    lengths = [size(c) + 5 for c in chosen]
    # Keep the document order of quoted units so the answer reads naturally.
    ordered = _in_order(chosen)
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
                    section=_section_label(meta),
                    page=int(meta["page"]) if meta.get("page") else None,
                    text=hit.text,
                    score=round(scored.score, 4),
                    chunk_id=hit.chunk_id,
                    kind=str(meta.get("kind", "text")),
                    notice=str(meta["status_notice"]) if meta.get("status_notice") else None,
                    checked=str(meta["checked"]) if meta.get("checked") else None,
                )
            )
        text = shown[id(scored)]
        # Trim only when the whole would not fit: a unit may use what the others leave over.
        others = sum(lengths) - len(text) - 5
        per_piece = max(max_chars // len(chosen), max_chars - others)
        if hit.meta.get("kind") == "table_row":
            text = focus_table_row(text, analysis.years)
        text = trim(text, analysis, per_piece - 6)
        if text.endswith(":"):
            text = _with_list(text, scored, per_piece)
        pieces.append((numbers[hit.chunk_id], text.rstrip()))
    # One marker after a run of quotes from the same passage, not after every sentence.
    parts: list[str] = []
    for i, (n, text) in enumerate(pieces):
        last_of_run = i + 1 == len(pieces) or pieces[i + 1][0] != n
        parts.append(f"{text} [{n}]" if last_of_run else text)
    body = " ".join(parts)
    if analysis.language == "en":
        body = f"{EN_PREFIX}{body}"
    if notices:
        body = f"{body}\n{' '.join(notices)}"
    return body, citations
