"""Side panel with the passage behind a citation: document, section, page and the text around it."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from assistant.schema import Citation


def _where(section: str | None, page: int | None) -> str:
    parts = [section or "(geen sectie)"]
    if page:
        parts.append(f"p. {page}")
    return " · ".join(parts)


class SourcePanel(Vertical):
    """Shows one cited passage with its neighbours; hidden until a citation is opened."""

    def compose(self) -> ComposeResult:
        yield Static(id="source-title")
        yield Static(id="source-meta")
        yield VerticalScroll(id="source-body", can_focus=True)
        yield Static(Content("Esc: paneel sluiten"), id="source-hint")

    def show_loading(self, citation: Citation) -> None:
        """Open the panel at once with what the citation itself knows."""
        self.add_class("open")
        self.query_one("#source-title", Static).update(Content(f"[{citation.n}] {citation.title}"))
        self.query_one("#source-meta", Static).update(Content(_where(citation.section, citation.page)))
        body = self.query_one("#source-body", VerticalScroll)
        body.remove_children()
        body.mount(Static(Content("Passage ophalen…"), classes="passage"))

    def show_text(self, title: str, text: str) -> None:
        """Show a plain text (the decision trace) in the panel, as plain text."""
        self.add_class("open")
        self.query_one("#source-title", Static).update(Content(title))
        self.query_one("#source-meta", Static).update(Content(""))
        body = self.query_one("#source-body", VerticalScroll)
        body.remove_children()
        body.mount(Static(Content(text), classes="passage"))

    def show_source(self, citation: Citation, source: dict[str, Any] | None) -> None:
        """Fill the panel with the document's passages around the cited chunk."""
        self.add_class("open")
        title = (source or {}).get("title") or citation.title
        self.query_one("#source-title", Static).update(Content(f"[{citation.n}] {title}"))
        meta = f"Sectie: {citation.section or '—'}"
        meta += f" · pagina {citation.page}" if citation.page else ""
        if citation.notice:
            meta += f"\n{citation.notice}"
        self.query_one("#source-meta", Static).update(Content(meta))
        body = self.query_one("#source-body", VerticalScroll)
        body.remove_children()
        passages = (source or {}).get("passages") or []
        if not passages:
            note = "Het document staat niet (meer) in de index; dit is de geciteerde tekst:"
            body.mount(Static(Content(note), classes="passage-head"))
            body.mount(Static(Content(citation.text), classes="passage cited"))
            return
        widgets: list[Static] = []
        for passage in passages:
            cited = bool(passage.get("cited"))
            head = _where(passage.get("section"), passage.get("page"))
            head_classes = "passage-head cited-head" if cited else "passage-head"
            widgets.append(Static(Content(("▶ " if cited else "") + head), classes=head_classes))
            widgets.append(Static(Content(passage.get("text") or ""), classes="passage cited" if cited else "passage"))
        body.mount_all(widgets)
        body.scroll_home(animate=False)
        self.call_after_refresh(self._scroll_to_cited)

    def _scroll_to_cited(self) -> None:
        cited = self.query(".cited-head")
        if cited:
            cited.first().scroll_visible(top=True, animate=False)

    def show_error(self, message: str) -> None:
        """Explain in the panel why the passage could not be fetched."""
        body = self.query_one("#source-body", VerticalScroll)
        body.remove_children()
        body.mount(Static(Content(message), classes="passage error"))

    @property
    def is_open(self) -> bool:
        """Whether the panel is shown."""
        return self.has_class("open")
