"""Write the README screenshots ``docs/tui-*.svg`` (and ``.png`` when rsvg-convert exists).

Runs the real TUI at 80×24 on the index in ``KRINGWIJS_HOME`` (build it first with
``kringwijs ingest``), with a throw-away question log::

    KRINGWIJS_HOME=/tmp/kw-tui .venv/bin/python tests/tui/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from textual.widgets import DataTable, Select

from assistant.question_log import QuestionLog
from kringwijs.settings import get_settings
from tui.answer_block import AnswerBlock
from tui.app import KringwijsApp
from tui.backend import LocalBackend

DOCS = Path(__file__).resolve().parents[2] / "docs"


async def _until(pilot, predicate, timeout: float = 120.0) -> None:
    for _ in range(int(timeout / 0.1)):
        if predicate():
            await pilot.pause(0.3)
            return
        await pilot.pause(0.1)
    raise TimeoutError("the app did not get there in time")


async def _ask(pilot, question: str) -> None:
    app = pilot.app
    done = len([b for b in app.query(AnswerBlock) if b.answer])
    await pilot.press(*question, "enter")
    await _until(pilot, lambda: len([b for b in app.query(AnswerBlock) if b.answer]) > done)


async def shoot(light: bool = False) -> list[Path]:
    """Walk through the four tabs like a user and save a screenshot of each."""
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        log = QuestionLog(Path(tmp) / "questions.sqlite")
        app = KringwijsApp(LocalBackend(get_settings(), question_log=log), export_dir=Path(tmp), light=light)
        suffix = "-licht" if light else ""

        def save(name: str) -> None:
            if light and name != "vragen":
                return  # one light-theme example is enough for the README
            path = DOCS / f"tui-{name}{suffix}.svg"
            path.write_text(app.export_screenshot(title="Kringwijs"), encoding="utf-8")
            shots.append(path)

        async with app.run_test(size=(80, 24)) as pilot:
            refused = (
                "Hoeveel budget heeft Gelderland?",
                "Wat kost een parkeervergunning in Zeist?",
                "Hoeveel budget heeft de provincie Gelderland?",
            )
            for question in refused:
                await _ask(pilot, question)
            await _ask(pilot, "Hoeveel geld gaat er in 2026 naar VTH?")
            await _ask(pilot, "En in 2025?")
            save("vragen")
            await pilot.press("ctrl+o", "enter")
            await _until(pilot, lambda: bool(app.query(".cited")))
            save("bron")
            # A procurement question, then F2 as its hint says: the criteria of that product group.
            await pilot.press("escape")
            await _ask(pilot, "Welke eisen kan ik stellen aan kantoormeubilair?")
            await pilot.press("f2")
            table = app.query_one("#criteria-table", DataTable)
            await _until(pilot, lambda: app.query_one("#product_group", Select).value == "kantoormeubilair")
            await _until(pilot, lambda: 0 < table.row_count < 20)
            table.focus()
            await pilot.press("space", "down", "space", "down")
            save("criteria")
            await pilot.press("f3")
            await _until(pilot, lambda: app.query_one("#gaps-table", DataTable).row_count > 0)
            save("kennislacunes")
            await pilot.press("f4")
            await _until(pilot, lambda: app.query_one("#index-files", DataTable).row_count > 0)
            save("index")
        log.close()
    return shots


def main() -> int:
    DOCS.mkdir(exist_ok=True)
    shots = asyncio.run(shoot()) + asyncio.run(shoot(light=True))
    converter = shutil.which("rsvg-convert")
    for svg in shots:
        if converter:
            subprocess.run([converter, "--zoom", "1.5", str(svg), "-o", str(svg.with_suffix(".png"))], check=True)
        sys.stdout.write(f"{svg.relative_to(DOCS.parent)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
