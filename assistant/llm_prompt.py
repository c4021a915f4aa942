"""The grounded prompt: the top evidence passages, numbered, and strict Dutch instructions.

The passages are built from the same ranked evidence units the extractive answerer uses,
kept short (a character budget of about 350 tokens) so time-to-first-token stays low on
two CPU cores.

Usage::

    passages = build_passages(ranked, chosen)
    messages = build_messages("Hoeveel geld gaat er in 2026 naar VTH?", passages, "nl")
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.evidence import ScoredUnit
from assistant.retriever import Hit

# Fixed, so llama.cpp can reuse its KV cache for it across questions.
SYSTEM_PROMPT = (
    "Je bent Kringwijs, de assistent van het programma Circulaire samenleving van de provincie Utrecht.\n"
    "Regels:\n"
    "- Beantwoord de vraag alleen met informatie uit de genummerde bronnen. Verzin niets.\n"
    "- Zet achter elke zin het nummer van de bron, zoals [1].\n"
    "- Neem bedragen, jaartallen, percentages en namen precies over uit de bron.\n"
    "- Antwoord kort, in hoogstens drie zinnen, in de taal van de vraag.\n"
    "- Staat het antwoord niet in de bronnen, antwoord dan alleen: Dat staat niet in mijn bronnen."
)
REFUSAL_NL = "Dat staat niet in mijn bronnen."
PASSAGE_BUDGET_CHARS = 1300
MAX_PASSAGES = 4
MAX_HEADER_CHARS = 90
# Runners-up below this share of the best unit's score add noise, not evidence.
MIN_RELATIVE_SCORE = 0.6


@dataclass
class Passage:
    """One numbered source in the prompt: a chunk's best units, under its heading."""

    n: int
    hit: Hit
    score: float
    units: dict[int, str] = field(default_factory=dict)

    @property
    def header(self) -> str:
        section = str(self.hit.meta.get("section") or self.hit.meta.get("title") or "")
        parts = [p.strip() for p in section.split(">")]
        text = " > ".join(parts[-2:])
        return text if len(text) <= MAX_HEADER_CHARS else "…" + text[-MAX_HEADER_CHARS:]

    @property
    def body(self) -> str:
        pieces, previous = [], None
        for index in sorted(self.units):
            if previous is not None and index != previous + 1:
                pieces.append("…")
            pieces.append(self.units[index])
            previous = index
        return " ".join(pieces)

    @property
    def text(self) -> str:
        """Exactly what the model sees for this source (and what its citations are checked against)."""
        return f"({self.header}) {self.body}" if self.header else self.body


def build_passages(
    ranked: list[ScoredUnit],
    chosen: list[ScoredUnit],
    *,
    budget: int = PASSAGE_BUDGET_CHARS,
    max_passages: int = MAX_PASSAGES,
) -> list[Passage]:
    """Group the best units by chunk: the extractive choice first, then strong runners-up."""
    if not ranked:
        return []
    best = ranked[0].score
    # Identity, not equality: ScoredUnit holds numpy vectors.
    picked = {id(s) for s in chosen}
    order = [*chosen, *(s for s in ranked if id(s) not in picked)]
    passages: dict[str, Passage] = {}
    used = 0
    for scored in order:
        if id(scored) not in picked and scored.score < best * MIN_RELATIVE_SCORE:
            break
        cid = scored.hit.chunk_id
        if cid not in passages and len(passages) >= max_passages:
            continue
        text = scored.unit.text.strip()
        if used + len(text) > budget and id(scored) not in picked:
            continue
        passage = passages.setdefault(cid, Passage(len(passages) + 1, scored.hit, scored.score))
        if scored.unit.index not in passage.units:
            passage.units[scored.unit.index] = text
            used += len(text)
    return list(passages.values())


def build_messages(question: str, passages: list[Passage], language: str) -> list[dict[str, str]]:
    """System rules plus one user turn holding the numbered sources and the question."""
    sources = "\n".join(f"[{p.n}] {p.text}" for p in passages)
    user = f"Bronnen:\n{sources}\n\nVraag: {question}"
    if language == "en":
        user += "\nAnswer in English."
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]
