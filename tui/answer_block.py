"""One exchange in the conversation: the question, the streamed answer and its citations."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.schema import Answer, Citation


def citation_line(c: Citation) -> str:
    """'[1] Title — section, p. 3' as shown under an answer and in copies."""
    page = f", p. {c.page}" if c.page else ""
    section = f" — {c.section}" if c.section and c.section != c.title else ""  # records: section == title
    return f"[{c.n}] {c.title}{section}{page}"


def answer_as_text(answer: Answer, urls: Mapping[int, str] | None = None) -> str:
    """The answer with its sources, for the clipboard and for a saved file (valid Markdown).

    Each source is its title, section and page, and its web address where it has one
    (``urls``, by citation number; see :func:`source_urls`): what a reader can look up, not
    the index's internal document ids.
    """
    lines = [f"Vraag: {answer.question}", "", answer.answer]
    if answer.citations:
        lines += ["", "Bronnen:"]
        for c in answer.citations:
            url = (urls or {}).get(c.n)
            lines.append(f"- {citation_line(c)}" + (f" — <{url}>" if url else ""))
    return "\n".join(lines) + "\n"


def source_urls(backend: Any, answer: Answer) -> dict[int, str]:
    """The web address of each cited source, by citation number (records carry theirs).

    Asks the backend (local index or server), so call it from a worker thread. A source
    without an http(s) address, or one that cannot be fetched, is left out.
    """
    urls: dict[int, str] = {}
    for c in answer.citations:
        try:
            view = backend.source(c.doc_id, c.chunk_id) or {}
        except Exception:  # a missing address must not block saving the answer
            continue
        source = str(view.get("source") or "").strip()
        if re.match(r"https?://\S+$", source):
            urls[c.n] = source
    return urls


def criteria_group(answer: Answer) -> tuple[str, str] | None:
    """(slug, label) of the product group most of an answer's criterion cards belong to."""
    groups = Counter(
        (str(card["product_group"]), str(card.get("product_group_label") or card["product_group"]))
        for card in criterion_cards(answer)
        if card.get("product_group")
    )
    return groups.most_common(1)[0][0] if groups else None


def criterion_cards(answer: Answer) -> list[dict]:
    """The criterion cards of an answer, whether grouped by type (``group_cards``) or flat."""
    cards: list[dict] = []
    for item in answer.criteria:
        cards.extend(item.get("cards", [item]))
    return cards


class AnswerBlock(Vertical):
    """One question with its (streamed) answer and a selectable list of citations."""

    def __init__(self, question: str) -> None:
        super().__init__(classes="exchange")
        self.question = question
        self.answer: Answer | None = None
        self._text = ""

    def compose(self) -> ComposeResult:
        yield Static(Content(f"Vraag: {self.question}"), classes="question")
        yield Static(Content("Bezig met zoeken in de bronnen…"), classes="answer pending")
        yield OptionList(classes="citations")
        yield Static(classes="criteria-hint")
        yield Static(classes="rating")

    def append_token(self, text: str) -> None:
        """Show the answer as it streams in."""
        if not self.is_attached:  # removed by "Nieuw gesprek" while the worker ran
            return
        self._text += text
        self.query_one(".answer", Static).update(Content(self._text))

    def show_answer(self, answer: Answer) -> None:
        """Show the final answer and its citations (or mark it as refused)."""
        if not self.is_attached:  # removed by "Nieuw gesprek" while the worker ran
            return
        self.answer = answer
        body = self.query_one(".answer", Static)
        body.remove_class("pending")
        body.set_class(answer.refused, "refused")
        body.update(Content(answer.answer))
        citations = self.query_one(".citations", OptionList)
        citations.set_options(Option(Content(citation_line(c)), id=str(c.n)) for c in answer.citations)
        citations.display = bool(answer.citations)
        cards = criterion_cards(answer)
        if cards:
            ids = ", ".join(str(c.get("id")) for c in cards[:4])
            more = f" en nog {len(cards) - 4}" if len(cards) > 4 else ""
            group = criteria_group(answer)
            where = f"F2 Criteria (gefilterd op {group[1]})" if group else "F2 Criteria"
            hint = self.query_one(".criteria-hint", Static)
            hint.update(Content(f"MVI-criteria: {ids}{more}. Bekijk en exporteer ze via {where}."))
            hint.add_class("shown")

    def show_error(self, message: str) -> None:
        """Replace the pending text with a Dutch error message."""
        if not self.is_attached:  # removed by "Nieuw gesprek" while the worker ran
            return
        body = self.query_one(".answer", Static)
        body.remove_class("pending")
        body.add_class("error")
        body.update(Content(message))
        self.query_one(".citations", OptionList).display = False

    def show_rating(self, rating: int) -> None:
        """Confirm the thumbs up or down under the answer."""
        if not self.is_attached:  # removed by "Nieuw gesprek" while the worker ran
            return
        text = "Beoordeeld: duim omhoog" if rating > 0 else "Beoordeeld: duim omlaag"
        rating_line = self.query_one(".rating", Static)
        rating_line.update(Content(text))
        rating_line.add_class("rated")

    def citation(self, option_id: str | None) -> Citation | None:
        """The citation behind an option of this block."""
        if self.answer is None or option_id is None:
            return None
        return next((c for c in self.answer.citations if str(c.n) == option_id), None)
