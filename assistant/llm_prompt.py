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

from assistant.compose import focus_table_row
from assistant.evidence import ScoredUnit
from assistant.retriever import Hit

# Fixed, so llama.cpp can reuse its KV cache for it across questions: the rules and the two
# worked examples cost prompt time once per process, not per question. The examples quote
# real passages of the bundled policy document, so nothing in them is invented.
SYSTEM_PROMPT = (
    "Je bent Kringwijs, de assistent van het programma Circulaire samenleving van de provincie Utrecht. "
    "Je beantwoordt vragen met de genummerde bronnen die je krijgt.\n"
    "Regels:\n"
    "1. Gebruik alleen wat in de bronnen staat. Verzin geen bedragen, jaartallen of namen.\n"
    "2. Zet achter elke zin het nummer van de bron waar het uit komt, zoals [1].\n"
    "3. Neem bedragen, jaartallen, percentages en namen letterlijk over.\n"
    "4. Antwoord kort: één tot drie zinnen, in de taal van de vraag.\n"
    "5. Alleen als geen enkele bron het antwoord geeft, zeg je: Dat staat niet in mijn bronnen."
)
EXAMPLES = [
    (
        "Bronnen:\n"
        "[1] (Verdeling middelen over de thema’s) Bedrijven en ketens — Budget 2025: € 400.000; "
        "Budget 2026 en 2027: € 500.000\n"
        "[2] (Looptijd en budget) Er is een structurele capaciteit van 3 FTE beschikbaar binnen het "
        "apparaatskostenbudget voor de provinciale organisatie.\n\n"
        "Vraag: Hoeveel budget is er in 2027 voor Bedrijven en ketens?",
        "In 2027 is er € 500.000 beschikbaar voor Bedrijven en ketens [1].",
    ),
    (
        "Bronnen:\n"
        "[1] (Looptijd en budget) Er is een structurele capaciteit van 3 FTE beschikbaar binnen het "
        "apparaatskostenbudget voor de provinciale organisatie.\n\n"
        "Vraag: Hoeveel geld krijgt de gemeente Zeist?",
        "Dat staat niet in mijn bronnen.",
    ),
]
REFUSAL_NL = "Dat staat niet in mijn bronnen."
PASSAGE_BUDGET_CHARS = 1100
MAX_PASSAGES = 4
MAX_HEADER_CHARS = 60
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
    years: list[str] | None = None,
) -> list[Passage]:
    """Group the best units by chunk: the extractive choice first, then strong runners-up.

    A table row is narrowed to the question's years ("VTH — Budget 2026 en 2027: € 400.000"
    for a 2026 question), exactly as the extractive answer quotes it: the model never sees
    the other year's figure, and the verifier checks against the narrowed row, so a 2025
    figure cannot pass for 2026."""
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
        if scored.hit.meta.get("kind") == "table_row":
            text = focus_table_row(text, years or [])
        if used and used + len(text) > budget:
            continue  # the best unit always goes in; everything else within the budget
        passage = passages.setdefault(cid, Passage(len(passages) + 1, scored.hit, scored.score))
        if scored.unit.index not in passage.units:
            passage.units[scored.unit.index] = text
            used += len(text)
    return list(passages.values())


def build_messages(question: str, passages: list[Passage], language: str) -> list[dict[str, str]]:
    """System rules, two worked examples, then one user turn with the numbered sources and the question."""
    sources = "\n".join(f"[{p.n}] {p.text}" for p in passages)
    user = f"Bronnen:\n{sources}\n\nVraag: {question}"
    if language == "en":
        user += "\nAnswer in English."
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    for example, reply in EXAMPLES:
        messages += [{"role": "user", "content": example}, {"role": "assistant", "content": reply}]
    return [*messages, {"role": "user", "content": user}]
