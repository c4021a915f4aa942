"""Fixtures for the TUI tests: the real assistant behind a LocalBackend, a tmp question log,
a helper that waits for the app like a user would, and SVG snapshot comparison.

Snapshots live in ``tests/tui/snapshots/``. After an intended UI change, regenerate them with::

    KRINGWIJS_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/tui
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Select, Tabs

from assistant.question_log import QuestionLog
from kringwijs.settings import Settings
from tui.app import KringwijsApp
from tui.backend import LocalBackend

SNAPSHOT_DIR = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("KRINGWIJS_UPDATE_SNAPSHOTS", "") not in ("", "0")

Waiter = Callable[..., Awaitable[None]]


@pytest.fixture
def question_log(tmp_path: Path) -> QuestionLog:
    """A fresh question log per test (never the user's)."""
    log = QuestionLog(tmp_path / "questions.sqlite")
    yield log
    log.close()


@pytest.fixture
def backend(settings: Settings, assistant, question_log: QuestionLog) -> LocalBackend:
    """The real assistant and index of the session, with the tmp question log."""
    return LocalBackend(settings, assistant=assistant, question_log=question_log)


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., KringwijsApp]:
    """Build the app in test mode (no times on screen, no blinking cursor)."""

    def make(backend: LocalBackend, *, light: bool = False) -> KringwijsApp:
        return KringwijsApp(backend, export_dir=tmp_path / "exports", stable=True, light=light)

    return make


async def _wait_until(pilot: Pilot, predicate: Callable[[], bool], what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for: {what}")
        await pilot.pause(0.05)
    await pilot.pause()


@pytest.fixture
def wait_until() -> Waiter:
    """``await wait_until(pilot, lambda: ..., "what")``: poll the running app until true."""
    return _wait_until


@pytest.fixture
def run(wait_until: Waiter) -> Callable[..., AsyncIterator[Pilot]]:
    """``async with run(app) as pilot``: ``app.run_test`` at 80×24, once the first tab is active.

    Textual activates the first tab just after the app reports ready; a key pressed before
    that (F4) would be undone by it, so the tests wait for it like a user waits for the screen.
    """

    @asynccontextmanager
    async def running(app: KringwijsApp, **kwargs: object) -> AsyncIterator[Pilot]:
        async with app.run_test(size=(80, 24), **kwargs) as pilot:
            await wait_until(pilot, lambda: bool(app.query_one(Tabs).active), "the first tab")
            yield pilot

    return running


async def _choose(pilot: Pilot, select_id: str, value: object) -> None:
    select = pilot.app.query_one(f"#{select_id}", Select)
    values = [v for _prompt, v in select._options]  # the blank option comes first
    select.focus()
    await pilot.press("enter", *["down"] * values.index(value), "enter")
    assert select.value == value


@pytest.fixture
def choose() -> Callable[[Pilot, str, object], Awaitable[None]]:
    """``await choose(pilot, "product_group", "catering")``: open a Select, arrow down to it, Enter."""
    return _choose


def _visible_text(svg: str) -> list[str]:
    """The text rows of a Rich SVG export, to show a readable difference."""
    rows = re.findall(r'<text class="[^"]*" x="[^"]*" y="([^"]*)"[^>]*>([^<]*)</text>', svg)
    lines: dict[str, str] = {}
    for y, text in rows:
        lines[y] = lines.get(y, "") + text.replace("&#160;", " ")
    return [lines[y].rstrip() for y in sorted(lines, key=float)]


@pytest.fixture
def assert_snapshot(tmp_path: Path) -> Callable[[KringwijsApp, str], None]:
    """Compare ``app.export_screenshot()`` with ``snapshots/<name>.svg``."""

    def check(app: KringwijsApp, name: str) -> None:
        svg = app.export_screenshot(title="Kringwijs")
        expected_path = SNAPSHOT_DIR / f"{name}.svg"
        if UPDATE or not expected_path.exists():
            SNAPSHOT_DIR.mkdir(exist_ok=True)
            expected_path.write_text(svg, encoding="utf-8")
            if not UPDATE:
                pytest.fail(f"new snapshot written to {expected_path}; check it and run again")
            return
        expected = expected_path.read_text(encoding="utf-8")
        if svg != expected:
            actual_path = tmp_path / f"{name}.actual.svg"
            actual_path.write_text(svg, encoding="utf-8")
            old, new = _visible_text(expected), _visible_text(svg)
            diff = [f"- {a}\n+ {b}" for a, b in zip(old, new, strict=False) if a != b][:8]
            pytest.fail(
                f"snapshot {name} differs (actual: {actual_path}; KRINGWIJS_UPDATE_SNAPSHOTS=1 to accept):\n"
                + ("\n".join(diff) or "(only colours or layout differ)")
            )

    return check


@pytest.fixture
def ask(wait_until: Waiter) -> Callable[[Pilot, str], Awaitable[object]]:
    """Type a question in the Vragen tab, press Enter and wait for the finished answer block."""
    from tui.answer_block import AnswerBlock

    async def run(pilot: Pilot, question: str) -> AnswerBlock:
        app = pilot.app
        await pilot.press("f1")
        before = len(app.query(AnswerBlock))
        await pilot.press(*question, "enter")
        await wait_until(pilot, lambda: len(app.query(AnswerBlock)) > before, "the question to appear")
        block = list(app.query(AnswerBlock))[-1]
        await wait_until(pilot, lambda: block.answer is not None or block.query(".error"), f"an answer to {question}")
        return block

    return run


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"
