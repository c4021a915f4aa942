"""Small modal dialogs shared by the screens: choose a file path and a format; confirm an action."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

SaveChoice = tuple[Path, str]  # the path and the chosen format


class SaveDialog(ModalScreen[SaveChoice | None]):
    """Ask where to save, prefilled with a default path; one button per format.

    Dismisses with ``(path, fmt)`` (the extension follows the chosen format) or ``None``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren")]

    def __init__(self, title: str, default: Path, formats: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.formats = formats  # (fmt, button label); the fmt is also the file extension

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(self.title_text), id="dialog-title")
            yield Static(Content("Bestand (pad aanpassen mag):"), classes="dialog-label")
            yield Input(value=str(self.default), id="dialog-path")
            with Horizontal(id="dialog-buttons"):
                for i, (fmt, label) in enumerate(self.formats):
                    yield Button(label, id=f"fmt-{fmt}", variant="primary" if i == 0 else "default")
                yield Button("Annuleren", id="dialog-cancel")

    def on_mount(self) -> None:
        self.query_one("#dialog-path", Input).focus()

    def _choose(self, fmt: str) -> None:
        raw = self.query_one("#dialog-path", Input).value.strip()
        if not raw:
            self.notify("Geef een bestandsnaam op.", severity="warning")
            return
        path = Path(raw).expanduser()
        if path.suffix.lstrip(".").lower() != fmt:
            path = path.with_suffix(f".{fmt}")
        self.dismiss((path, fmt))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter saves in the format the typed extension names, or the first format."""
        event.stop()
        suffix = Path(event.value.strip()).suffix.lstrip(".").lower()
        known = [fmt for fmt, _label in self.formats]
        self._choose(suffix if suffix in known else known[0])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "dialog-cancel":
            self.dismiss(None)
        elif event.button.id and event.button.id.startswith("fmt-"):
            self._choose(event.button.id.removeprefix("fmt-"))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """Ask before something that takes long or replaces data; dismisses with True or False.

    The confirm button has the focus, so Enter confirms; Escape or "Annuleren" cancels.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren")]

    def __init__(self, title: str, text: str, confirm: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(self.title_text), id="dialog-title")
            yield Static(Content(self.text), classes="dialog-label")
            with Horizontal(id="dialog-buttons"):
                yield Button(self.confirm, id="dialog-confirm", variant="primary")
                yield Button("Annuleren", id="dialog-cancel")

    def on_mount(self) -> None:
        self.query_one("#dialog-confirm", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "dialog-confirm")

    def action_cancel(self) -> None:
        """Close without doing it."""
        self.dismiss(False)
