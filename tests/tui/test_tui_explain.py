"""Staff can see why an answer came out: ctrl+t shows the decision trace in the side panel."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tui.source_panel import SourcePanel

pytestmark = pytest.mark.anyio  # async tests run on asyncio (anyio's pytest plugin)

VTH = "Hoeveel geld gaat er in 2026 naar VTH?"


async def test_ctrl_e_shows_the_decision_trace(backend, make_app, run, ask) -> None:
    app = make_app(backend)
    async with run(app) as pilot:
        block = await ask(pilot, VTH)
        assert block.answer is not None and block.answer.trace
        panel = app.query_one(SourcePanel)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert panel.is_open
        title = str(panel.query_one("#source-title", Static).render())
        body = str(panel.query_one(".passage", Static).render())
        assert title == "Waarom dit antwoord"
        assert "drempel" in body and "Kandidaatzinnen" in body
        threshold = block.answer.trace["refusal"]["threshold"]
        assert f"{threshold:.2f}" in body  # the same numbers as the answer's trace
