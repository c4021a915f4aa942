"""SVG snapshots of the main screens at 80×24, in the dark and the light theme, plus a contrast check.

Regenerate after an intended change: ``KRINGWIJS_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/tui``.
(The Index screen is snapshotted in ``test_tui_index.py``, on a small index of its own.)
"""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.widget import Widget
from textual.widgets import DataTable

from tui.source_panel import SourcePanel

pytestmark = pytest.mark.anyio  # async tests run on asyncio (anyio's pytest plugin)


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(widget: Widget) -> float:
    """WCAG contrast ratio of a widget's text against its background, as rendered."""
    style = widget.visual_style
    background = style.background or Color(0, 0, 0)
    foreground = background + (style.foreground or Color(255, 255, 255))  # blend muted (alpha) text
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("theme", ["donker", "licht"])
async def test_main_screens(theme: str, backend, make_app, run, choose, ask, wait_until, assert_snapshot) -> None:
    app = make_app(backend, light=theme == "licht")
    async with run(app) as pilot:
        await pilot.pause()
        assert_snapshot(app, f"start-{theme}")

        block = await ask(pilot, "Hoeveel geld gaat er in 2026 naar VTH?")
        for selector in (".question", ".answer"):
            assert contrast(block.query_one(selector)) >= 4.5, selector
        assert contrast(app.query_one("#welcome")) >= 3.0  # muted hint text
        assert_snapshot(app, f"vragen-{theme}")

        await pilot.press("ctrl+o", "enter")
        panel = app.query_one(SourcePanel)
        await wait_until(pilot, lambda: bool(panel.query(".cited")), "the source panel")
        assert contrast(panel.query_one(".passage.cited")) >= 4.5
        assert_snapshot(app, f"bron-{theme}")
        await pilot.press("escape")

        # Criteria before the refused question: what gets refused must not hide this screen.
        await pilot.press("f2")
        table = app.query_one("#criteria-table", DataTable)
        await wait_until(pilot, lambda: table.row_count > 0, "the criteria")
        await choose(pilot, "product_group", "kantoormeubilair")
        await wait_until(pilot, lambda: table.row_count < 20, "the filtered criteria")
        table.focus()
        await pilot.press("space")
        await pilot.pause()
        assert contrast(app.query_one("#criteria-detail")) >= 4.5
        assert_snapshot(app, f"criteria-{theme}")

        await ask(pilot, "Hoeveel budget heeft Gelderland?")
        refused = list(app.query(".answer.refused"))[-1]
        assert contrast(refused) >= 3.0
        await pilot.press("f3")
        await wait_until(pilot, lambda: app.query_one("#gaps-table", DataTable).row_count == 1, "the gap")
        assert_snapshot(app, f"kennislacunes-{theme}")
