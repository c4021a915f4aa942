"""The Vragen screen: ask questions, read answers with numbered citations, open the sources."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.worker import get_current_worker

from assistant.schema import Answer, Citation, ErrorEvent, FinalEvent, TokenEvent
from tui.answer_block import AnswerBlock, answer_as_text, source_urls
from tui.backend import Backend, describe
from tui.dialogs import SaveChoice, SaveDialog
from tui.source_panel import SourcePanel

WELCOME = (
    "Stel een vraag over het programma Circulaire samenleving, de MVI-criteria, subsidies of regels.\n"
    "Vervolgvragen gebruiken het gesprek. Ctrl+O of Tab gaat naar de bronnen; Enter opent de passage.\n"
    "F1-F4 wisselen van tabblad, F5 wisselt tussen licht en donker."
)


class ChatPane(Horizontal):
    """Conversation, question field and the source side panel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "focus_sources", "Bronnen"),
        Binding("ctrl+y", "copy", "Kopieer"),
        Binding("ctrl+s", "save", "Opslaan"),
        Binding("ctrl+g", "rate(1)", "Goed"),
        Binding("ctrl+b", "rate(-1)", "Slecht"),
        Binding("ctrl+n", "new_conversation", "Nieuw"),
        Binding("ctrl+t", "explain", "Waarom"),  # ctrl+e is "end of line" in the question field
        Binding("escape", "close_source", "Sluit bron", show=False),  # the panel shows its own hint
    ]

    def __init__(self, backend: Backend, export_dir: Path, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.backend = backend
        self.export_dir = export_dir
        self.history: list[dict[str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="chat-main"):
            with VerticalScroll(id="conversation"):
                yield Static(Content(WELCOME), id="welcome")
            yield Input(placeholder="Typ je vraag en druk op Enter", id="question")
        yield SourcePanel(id="source-panel")

    # --- asking ------------------------------------------------------------
    @on(Input.Submitted, "#question")
    def submit(self, event: Input.Submitted) -> None:
        """Start answering in a worker; the field is free again at once."""
        question = event.value.strip()
        if not question:
            return
        event.input.clear()
        block = AnswerBlock(question)
        conversation = self.query_one("#conversation", VerticalScroll)
        conversation.mount(block)
        conversation.scroll_end(animate=False)
        self.ask(block, question, list(self.history))

    @work(exclusive=True, thread=True, group="ask")
    def ask(self, block: AnswerBlock, question: str, history: list[dict[str, str]]) -> None:
        """Answer in a thread so typing never blocks; only the newest question updates the screen."""
        worker = get_current_worker()
        try:
            for event in self.backend.stream(question, history):
                if worker.is_cancelled:
                    continue  # drain, so the backend finishes and releases its lock
                if isinstance(event, TokenEvent):
                    self.app.call_from_thread(block.append_token, event.text)
                elif isinstance(event, FinalEvent):
                    self.app.call_from_thread(self._answered, block, event.answer)
                elif isinstance(event, ErrorEvent):
                    self.app.call_from_thread(block.show_error, event.message)
        except Exception as exc:
            self.app.call_from_thread(block.show_error, describe(exc))
        if worker.is_cancelled:
            self.app.call_from_thread(block.show_error, "Afgebroken: er werd een nieuwe vraag gesteld.")

    def _answered(self, block: AnswerBlock, answer: Answer) -> None:
        if not block.is_attached:
            return
        block.show_answer(answer)
        self.history += [
            {"role": "user", "content": answer.question},
            {"role": "assistant", "content": answer.answer},
        ]
        self.query_one("#conversation", VerticalScroll).scroll_end(animate=False)

    # --- citations -----------------------------------------------------------
    @on(OptionList.OptionSelected, ".citations")
    def open_citation(self, event: OptionList.OptionSelected) -> None:
        """Open the selected citation's passage in the side panel (Enter or a click)."""
        block = next((a for a in event.option_list.ancestors if isinstance(a, AnswerBlock)), None)
        citation = block.citation(event.option.id) if block else None
        if citation is None:
            return
        self.query_one(SourcePanel).show_loading(citation)
        self.refresh_bindings()
        # The panel narrows the conversation; keep the chosen citation in view after the reflow.
        self.call_after_refresh(event.option_list.scroll_visible, animate=False)
        self.load_source(citation)

    @work(exclusive=True, thread=True, group="source")
    def load_source(self, citation: Citation) -> None:
        """Fetch the document passages around the cited chunk."""
        panel = self.query_one(SourcePanel)
        try:
            source = self.backend.source(citation.doc_id, citation.chunk_id)
        except Exception as exc:
            self.app.call_from_thread(panel.show_error, f"De passage kon niet worden opgehaald. {describe(exc)}")
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(panel.show_source, citation, source)

    def action_close_source(self) -> None:
        """Hide the source panel and return to the question field."""
        self.query_one(SourcePanel).remove_class("open")
        self.refresh_bindings()
        self.query_one("#question", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show 'Sluit bron' only while the source panel is open."""
        if action == "close_source":
            return self.query_one(SourcePanel).is_open
        return True

    # --- actions -------------------------------------------------------------
    def _current(self) -> AnswerBlock | None:
        """The answer holding the focus, or else the latest finished answer."""
        focused = self.app.focused
        if focused is not None:
            for node in focused.ancestors_with_self:
                if isinstance(node, AnswerBlock) and node.answer is not None:
                    return node
        done = [b for b in self.query(AnswerBlock) if b.answer is not None]
        return done[-1] if done else None

    def _need_answer(self) -> AnswerBlock | None:
        block = self._current()
        if block is None:
            self.notify("Er is nog geen antwoord.", severity="warning")
        return block

    def action_explain(self) -> None:
        """Show why the current answer came out: signals, fitted weights, threshold."""
        block = self._need_answer()
        if block is None or block.answer is None:
            return
        if not block.answer.trace:
            self.notify("Voor dit antwoord is geen uitleg beschikbaar.", severity="warning")
            return
        from assistant.trace import explain

        self.query_one(SourcePanel).show_text("Waarom dit antwoord", explain(block.answer.trace))
        self.refresh_bindings()

    def action_focus_sources(self) -> None:
        """Move the focus to the citations of the current answer."""
        block = self._need_answer()
        if block is None:
            return
        citations = block.query_one(".citations", OptionList)
        if not citations.display:
            self.notify("Dit antwoord heeft geen bronnen.", severity="warning")
            return
        citations.focus()
        if citations.highlighted is None:
            citations.highlighted = 0

    def action_copy(self) -> None:
        """Copy the current answer with its sources to the clipboard."""
        block = self._need_answer()
        if block is not None and block.answer is not None:
            self.copy_answer(block.answer)

    @work(thread=True, group="copy")
    def copy_answer(self, answer: Answer) -> None:
        """Look up the sources' web addresses (a server round trip when remote), then copy."""
        text = answer_as_text(answer, source_urls(self.backend, answer))
        self.app.call_from_thread(self.app.copy_to_clipboard, text)
        self.app.call_from_thread(self.notify, "Antwoord met bronnen gekopieerd naar het klembord.")

    def action_save(self) -> None:
        """Ask for a file and save the current answer with its sources there."""
        block = self._need_answer()
        if block is None or block.answer is None:
            return
        answer = block.answer

        def done(choice: SaveChoice | None) -> None:
            if choice is not None:
                self.save_answer(answer, choice[0])

        dialog = SaveDialog(
            "Antwoord met bronnen opslaan", self.export_dir / "kringwijs-antwoord.md", [("md", "Opslaan")]
        )
        self.app.push_screen(dialog, done)

    @work(thread=True, group="save")
    def save_answer(self, answer: Answer, path: Path) -> None:
        """Write the answer with its sources' titles, sections, pages and web addresses."""
        text = answer_as_text(answer, source_urls(self.backend, answer))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            message = f"Opslaan mislukt: {exc.strerror or exc}."
            self.app.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, f"Antwoord opgeslagen in {path}.", markup=False)

    def action_rate(self, rating: int) -> None:
        """Thumbs up (+1) or down (-1) on the current answer."""
        block = self._need_answer()
        if block is not None and block.answer is not None:
            self.send_feedback(block, block.answer.answer_id, rating)

    @work(thread=True, group="feedback")
    def send_feedback(self, block: AnswerBlock, answer_id: str, rating: int) -> None:
        """Store the rating in the question log (or on the server)."""
        try:
            ok = self.backend.feedback(answer_id, rating)
        except Exception:
            ok = False
        if ok:
            self.app.call_from_thread(block.show_rating, rating)
            self.app.call_from_thread(self.notify, "Bedankt, je beoordeling is opgeslagen.")
        else:
            self.app.call_from_thread(self.notify, "De beoordeling kon niet worden opgeslagen.", severity="error")

    def action_new_conversation(self) -> None:
        """Forget the conversation so the next question starts fresh."""
        self.workers.cancel_group(self, "ask")
        self.history.clear()
        conversation = self.query_one("#conversation", VerticalScroll)
        conversation.query(AnswerBlock).remove()
        self.action_close_source()
        self.notify("Nieuw gesprek gestart.")
