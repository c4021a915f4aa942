"""Criteria tab: filter like a user, select rows and export them to DOCX and Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from textual.widgets import DataTable

from knowledge.criteria_service import filter_criteria
from knowledge.records import load_records
from tui.criteria import CriteriaPane

pytestmark = pytest.mark.anyio  # async tests run on asyncio (anyio's pytest plugin)


async def test_filters_narrow_the_table_like_the_criteria_service(backend, make_app, run, choose, wait_until) -> None:
    records = load_records()
    app = make_app(backend)
    async with run(app) as pilot:
        await pilot.press("f2")
        pane = app.query_one(CriteriaPane)
        table = app.query_one("#criteria-table", DataTable)
        await wait_until(pilot, lambda: table.row_count > 0, "the criteria")
        assert set(pane.cards) == {c.id for c in filter_criteria(records)}

        async def shows(what: str, **filters: object) -> None:
            wanted = {c.id for c in filter_criteria(records, **filters)}
            await wait_until(pilot, lambda: set(pane.cards) == wanted, what)
            assert table.row_count == len(wanted)

        await choose(pilot, "product_group", "ict-hardware")
        await shows("product group", product_group="ict-hardware")
        await choose(pilot, "criterion_type", "gunningscriterium")
        await shows("type", product_group="ict-hardware", criterion_type="gunningscriterium")
        await choose(pilot, "ambition", 2)
        await shows("ambition", product_group="ict-hardware", criterion_type="gunningscriterium", ambition=2)

        await pilot.press("ctrl+l")
        await shows("no filters")
        await choose(pilot, "theme", "Klimaat")
        await shows("theme", theme="Klimaat")
        await pilot.click("#criteria-text")
        await pilot.press(*"verpakking")
        await shows("free text", theme="Klimaat", text="verpakking")


async def test_select_rows_and_export_docx_and_markdown(
    backend, make_app, run, choose, wait_until, tmp_path: Path
) -> None:
    app = make_app(backend)
    async with run(app, notifications=True) as pilot:
        await pilot.press("f2")
        pane = app.query_one(CriteriaPane)
        table = app.query_one("#criteria-table", DataTable)
        await wait_until(pilot, lambda: table.row_count > 0, "the criteria")
        await choose(pilot, "product_group", "kantoormeubilair")
        await wait_until(pilot, lambda: all(c["product_group"] == "kantoormeubilair" for c in pane.cards.values()), "")

        await pilot.press("ctrl+s")  # nothing selected yet: a warning, no dialog
        assert app.screen is app.screen_stack[0]
        table.focus()
        await pilot.press("space", "down", "space")
        first, second = list(pane.cards)[:2]
        assert pane.selected == {first, second}
        assert table.get_row(first)[0] == "✓"
        # The mouse: a click highlights the third row, a second click on it selects it.
        await pilot.click("#criteria-table", offset=(4, 3))
        third = list(pane.cards)[2]
        assert pane.selected == {first, second}
        await pilot.click("#criteria-table", offset=(4, 3))
        assert pane.selected == {first, second, third}
        await pilot.press("space")  # and space on it again deselects it
        assert pane.selected == {first, second}

        await pilot.press("ctrl+s")
        docx_path = tmp_path / "exports" / "mvi-criteria-selectie.docx"
        assert app.screen.query_one("#dialog-path").value == str(docx_path)
        await pilot.press("enter")
        await wait_until(pilot, docx_path.exists, "the DOCX file")
        await wait_until(pilot, lambda: _messages(app), "the notification")
        assert any("2 criteria geëxporteerd als Word-bestand" in m for m in _messages(app))
        document = Document(str(docx_path))
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        assert any(h.startswith(f"{first} ") for h in headings)
        assert any(h.startswith(f"{second} ") for h in headings)
        table_ids = {row.cells[0].text for row in document.tables[-1].rows[1:]}
        assert table_ids == {first, second}

        await pilot.press("ctrl+s")
        await pilot.click("#fmt-md")
        md_path = docx_path.with_suffix(".md")
        await wait_until(pilot, md_path.exists, "the Markdown file")
        text = md_path.read_text(encoding="utf-8")
        assert f"### {first} " in text and f"### {second} " in text
        await wait_until(pilot, lambda: any("Markdown-bestand" in m for m in _messages(app)), "md notification")


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_columns_follow_the_terminal_and_show_the_id(backend, make_app, run, wait_until) -> None:
    app = make_app(backend)
    async with run(app) as pilot:
        await pilot.press("f2")
        pane = app.query_one(CriteriaPane)
        table = app.query_one("#criteria-table", DataTable)
        await wait_until(pilot, lambda: table.row_count > 0, "the criteria")

        def widths() -> dict[str, int]:
            return {str(key.value): column.width for key, column in table.columns.items()}

        def used() -> int:  # every column plus its cell padding, and the scrollbar
            return sum(w + 2 for w in widths().values()) + 2

        labels = [str(column.label) for column in table.columns.values()]
        assert labels == [" ", "Id", "Titel", "Productgroep", "Type", "Niv."]
        longest_id = max(len(cid) for cid in pane.cards)
        assert widths()["id"] == longest_id
        first = next(iter(pane.cards))
        assert str(table.get_row(first)[1]) == first
        assert used() == 80
        narrow = widths()["title"]

        await pilot.resize_terminal(160, 30)
        await wait_until(pilot, lambda: used() == 160, "the columns to follow the terminal")
        wide = widths()
        assert wide["title"] > narrow + 40
        longest_title = max(len(c["title"]) for c in pane.cards.values())
        assert wide["title"] >= min(longest_title, 60)  # e.g. "Registratie onder de UPV textiel" in full
        assert table.row_count == len(pane.cards)  # rows kept across the rebuild
