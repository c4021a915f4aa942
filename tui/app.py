"""Kringwijs for the programme staff: one Textual app with four tabs.

``kringwijs tui`` runs :func:`run_tui` on the local index; with ``--api URL --key KEY`` the
same screens talk to a running server. Slow work (answers, sources, ingest) runs in thread
workers, so the terminal never freezes.

Usage::

    app = KringwijsApp(LocalBackend(settings))
    app.run()
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Input, TabbedContent, TabPane

from kringwijs.settings import Settings
from tui.answer_block import AnswerBlock, criteria_group
from tui.backend import Backend, LocalBackend
from tui.chat import ChatPane
from tui.criteria import CriteriaPane
from tui.gaps import GapsPane
from tui.index_screen import IndexPane
from tui.remote_backend import RemoteBackend

TABS = ("vragen", "criteria", "lacunes", "index")
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


class KringwijsApp(App[int]):
    """Tabs Vragen, Criteria, Kennislacunes and Index over one :class:`~tui.backend.Backend`."""

    CSS_PATH = "app.tcss"
    TITLE = "Kringwijs"
    ENABLE_COMMAND_PALETTE = False  # its texts are English; everything here is in the footer
    BINDINGS: ClassVar[list[BindingType]] = [
        # The tab keys are shown on the tabs themselves and F5 in the welcome text; the footer
        # keeps the screen's own keys, which is all that fits in 80 columns.
        Binding("f1", "show_tab('vragen')", "Vragen", show=False),
        Binding("f2", "show_tab('criteria')", "Criteria", show=False),
        Binding("f3", "show_tab('lacunes')", "Kennislacunes", show=False),
        Binding("f4", "show_tab('index')", "Index", show=False),
        Binding("ctrl+q", "quit", "Stop", priority=True),
        Binding("f5", "toggle_theme", "Licht/donker", show=False),
    ]

    def __init__(
        self,
        backend: Backend,
        *,
        export_dir: Path | None = None,
        stable: bool = False,
        light: bool = False,
    ) -> None:
        """``stable`` hides times and blinking (for snapshot tests); ``light`` starts in the light theme."""
        super().__init__()
        self.backend = backend
        backend.warm_up()
        self.export_dir = export_dir or Path.cwd()
        self.stable = stable
        self.sub_title = backend.label
        self.theme = LIGHT_THEME if light else DARK_THEME

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        with TabbedContent(initial="vragen"):
            with TabPane("F1 Vragen", id="vragen"):
                yield ChatPane(self.backend, self.export_dir)
            with TabPane("F2 Criteria", id="criteria"):
                yield CriteriaPane(self.backend, self.export_dir)
            with TabPane("F3 Kennislacunes", id="lacunes"):
                yield GapsPane(self.backend, show_dates=not self.stable)
            with TabPane("F4 Index", id="index"):
                yield IndexPane(self.backend, stable=self.stable)
        yield Footer()

    def on_mount(self) -> None:
        if self.stable:
            for field in self.query(Input):
                field.cursor_blink = False
        # The model is already loading (LocalBackend.warm_up, from __init__); the status waits for it.
        self.query_one(IndexPane).load()
        self.query_one("#question", Input).focus()

    # --- navigation ------------------------------------------------------------
    def action_show_tab(self, tab: str) -> None:
        """Switch to one of the four tabs.

        F2 from the conversation, after an answer with criteria ("Bekijk ... via F2"), opens
        the Criteria tab filtered to that answer's product group.
        """
        tabs = self.query_one(TabbedContent)
        if tab == "criteria" and tabs.active == "vragen":
            answered = [b.answer for b in self.query(AnswerBlock) if b.answer is not None]
            group = criteria_group(answered[-1]) if answered else None
            if group:
                self.query_one(CriteriaPane).show_group(group[0])
        tabs.active = tab

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id
        if tab == "vragen":
            self.query_one("#question", Input).focus()
        elif tab == "criteria":
            self.query_one("#criteria-table", DataTable).focus()
        elif tab == "lacunes":
            self.query_one(GapsPane).load()
            self.query_one("#gaps-table", DataTable).focus()
        elif tab == "index":
            self.query_one(IndexPane).load()
            self.query_one("#index-files", DataTable).focus()

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = DARK_THEME if self.theme == LIGHT_THEME else LIGHT_THEME


def run_tui(settings: Settings, api_url: str | None = None, api_key: str | None = None) -> int:
    """Entry point of ``kringwijs tui``; returns the process exit code."""
    backend: Backend = RemoteBackend(api_url, api_key) if api_url else LocalBackend(settings)
    try:
        app = KringwijsApp(backend)
        app.run()
    finally:
        backend.close()
    return app.return_code or 0
