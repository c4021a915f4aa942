"""Kennislacunes tab: refused and thumbs-down questions show up, grouped, and can be handled."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

pytestmark = pytest.mark.anyio  # async tests run on asyncio (anyio's pytest plugin)

GELDERLAND = "Hoeveel budget heeft Gelderland?"


async def test_refused_question_appears_under_kennislacunes(
    backend, make_app, run, ask, wait_until, question_log
) -> None:
    app = make_app(backend)
    async with run(app, notifications=True) as pilot:
        block = await ask(pilot, GELDERLAND)
        assert block.answer.refused
        assert block.query_one(".answer", Static).has_class("refused")
        assert not block.answer.citations

        await pilot.press("f3")
        table = app.query_one("#gaps-table", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1, "the gap row")
        assert table.get_row_at(0) == ["1", GELDERLAND, "1× geweigerd", "open"]
        assert GELDERLAND in str(app.query_one("#gaps-detail", Static).render())

        await pilot.press("a")
        await wait_until(pilot, lambda: table.row_count and table.get_row_at(0)[3] == "afgehandeld", "handled")
    assert question_log.gaps()[0].handled


async def test_similar_refusals_are_counted_and_thumbs_down_listed(backend, make_app, run, ask, wait_until) -> None:
    app = make_app(backend)
    async with run(app) as pilot:
        await ask(pilot, GELDERLAND)
        await ask(pilot, GELDERLAND)
        await ask(pilot, "Hoeveel geld gaat er in 2026 naar VTH?")
        await pilot.press("ctrl+b")  # thumbs down on the (answered) VTH question
        await wait_until(pilot, lambda: bool(app.query(".rating.rated")), "the rating")

        await pilot.press("f3")
        table = app.query_one("#gaps-table", DataTable)
        await wait_until(pilot, lambda: table.row_count == 2, "two gaps")
        rows = [table.get_row_at(i) for i in range(2)]
        assert ["2", GELDERLAND, "2× geweigerd", "open"] in rows
        assert ["1", "Hoeveel geld gaat er in 2026 naar VTH?", "1× duim omlaag", "open"] in rows
