"""Vragen tab, driven like a user against the real assistant and index."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from tui.answer_block import AnswerBlock
from tui.app import KringwijsApp
from tui.backend import LocalBackend
from tui.source_panel import SourcePanel

pytestmark = pytest.mark.anyio  # async tests run on asyncio (anyio's pytest plugin)

VTH = "Hoeveel geld gaat er in 2026 naar VTH?"


def _answer_text(block: AnswerBlock) -> str:
    return str(block.query_one(".answer", Static).render())


async def test_ask_shows_answer_with_numbered_citation(backend, make_app, run, ask, question_log) -> None:
    app = make_app(backend)
    async with run(app) as pilot:
        assert app.focused is app.query_one("#question", Input)
        block = await ask(pilot, VTH)
        assert "400.000" in _answer_text(block)
        assert "[1]" in _answer_text(block)
        citations = block.query_one(".citations", OptionList)
        assert citations.option_count >= 1
        assert str(citations.get_option_at_index(0).prompt).startswith("[1] Uitvoeringsagenda")
        assert app.query_one("#question", Input).value == ""
    logged = question_log.recent()
    assert [(q.question, q.channel, q.audience) for q in logged] == [(VTH, "tui", "internal")]


async def test_follow_up_keeps_the_conversation(backend, make_app, run, ask) -> None:
    app = make_app(backend)
    async with run(app) as pilot:
        await ask(pilot, VTH)
        follow = await ask(pilot, "En in 2025?")
        assert follow.answer is not None
        assert "VTH" in follow.answer.standalone_query
        assert "300.000" in _answer_text(follow)


async def test_citation_opens_passage_by_keyboard_and_mouse(backend, make_app, run, ask, wait_until) -> None:
    app = make_app(backend)
    async with run(app) as pilot:
        await ask(pilot, VTH)
        panel = app.query_one(SourcePanel)
        assert not panel.is_open

        await pilot.press("ctrl+o", "enter")
        await wait_until(pilot, lambda: bool(panel.query(".cited")), "the cited passage")
        title = str(panel.query_one("#source-title", Static).render())
        meta = str(panel.query_one("#source-meta", Static).render())
        cited = str(panel.query_one(".passage.cited", Static).render())
        assert "Uitvoeringsagenda Circulaire samenleving" in title
        assert "Financiën" in meta and "pagina 21" in meta
        assert "VTH" in cited and "400.000" in cited
        assert len(panel.query(".passage")) > 1  # the surrounding passages too

        await pilot.press("escape")
        assert not panel.is_open
        assert app.focused is app.query_one("#question", Input)

        await pilot.click(".citations")  # the mouse opens it as well
        await wait_until(pilot, lambda: panel.is_open and bool(panel.query(".cited")), "the passage after a click")


async def test_copy_and_save_answer_with_sources(backend, make_app, run, ask, wait_until, tmp_path: Path) -> None:
    app = make_app(backend)
    async with run(app) as pilot:
        block = await ask(pilot, VTH)
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: bool(app.clipboard), "the copied answer")
        assert "Vraag: " + VTH in app.clipboard
        assert "400.000" in app.clipboard
        # title, section path and page: what a reader can look up; never the index's doc id
        cited = block.answer.citations[0]
        assert "Bronnen:\n- [1] Uitvoeringsagenda Circulaire samenleving 2025-2027 — Financiën" in app.clipboard
        assert f", p. {cited.page}\n" in app.clipboard
        assert cited.doc_id not in app.clipboard

        await pilot.press("ctrl+s")
        path_field = app.screen.query_one("#dialog-path", Input)
        assert path_field.value == str(tmp_path / "exports" / "kringwijs-antwoord.md")
        await pilot.press("enter")
        saved = tmp_path / "exports" / "kringwijs-antwoord.md"
        await wait_until(pilot, saved.exists, "the saved answer")
        assert saved.read_text(encoding="utf-8") == app.clipboard


async def test_saved_answer_from_a_record_carries_its_web_address(
    backend, make_app, run, ask, wait_until, tmp_path: Path
) -> None:
    from knowledge.records import load_records

    app = make_app(backend)
    async with run(app) as pilot:
        block = await ask(pilot, "Wat is de MIA/Vamil-regeling?")
        cited = block.answer.citations[0]
        records = {f"{r.kind}-{r.id}": r for r in load_records()}
        assert cited.doc_id in records, f"not answered from a record: {cited.doc_id}"
        url = records[cited.doc_id].metadata()["source_url"]
        await pilot.press("ctrl+s", "enter")
        saved = tmp_path / "exports" / "kringwijs-antwoord.md"
        await wait_until(pilot, saved.exists, "the saved answer")
        text = saved.read_text(encoding="utf-8")
        assert f"- [1] {cited.title} — <{url}>" in text
        assert cited.doc_id not in text


async def test_toasts_never_cover_the_question_field(backend, make_app, run, ask, wait_until) -> None:
    from textual.widgets._toast import Toast

    app = make_app(backend)
    async with run(app, notifications=True) as pilot:
        await ask(pilot, VTH)
        for _ in range(3):  # a stack of toasts grows upwards, away from the field
            await pilot.press("ctrl+y")
            await pilot.pause(0.2)
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) >= 3, "three toasts")
        field = app.query_one("#question", Input).region
        for toast in app.screen.query(Toast):
            assert toast.region.height > 0
            assert not toast.region.overlaps(field), (toast.region, field)


async def test_thumbs_are_stored_in_the_question_log(backend, make_app, run, ask, wait_until, question_log) -> None:
    app = make_app(backend)
    async with run(app) as pilot:
        block = await ask(pilot, VTH)
        await pilot.press("ctrl+b")
        rating = block.query_one(".rating", Static)
        await wait_until(pilot, lambda: rating.has_class("rated"), "the rating confirmation")
        assert "duim omlaag" in str(rating.render())
    assert question_log.get(block.answer.answer_id).rating == -1


class _HeldBackend(LocalBackend):
    """The real backend, but each answer waits until the test lets it go."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gate = threading.Event()

    def stream(self, question, history):
        self.gate.wait(timeout=60)
        yield from super().stream(question, history)


async def test_typing_continues_while_an_answer_is_computed(
    settings, assistant, question_log, make_app, run, wait_until
) -> None:
    backend = _HeldBackend(settings, assistant=assistant, question_log=question_log)
    app = make_app(backend)
    async with run(app) as pilot:
        await pilot.press(*VTH, "enter")
        await pilot.press(*"En in 2025")  # the answer is still being computed
        assert app.query_one("#question", Input).value == "En in 2025"
        pending = app.query_one(AnswerBlock).query_one(".answer", Static)
        assert pending.has_class("pending")
        backend.gate.set()
        await wait_until(pilot, lambda: app.query_one(AnswerBlock).answer is not None, "the held answer")
        assert "400.000" in _answer_text(app.query_one(AnswerBlock))


async def test_procurement_question_points_to_the_criteria(backend, make_app, run, ask, wait_until) -> None:
    from textual.widgets import Select

    from knowledge.criteria_service import filter_criteria
    from knowledge.records import load_records
    from tui.criteria import CriteriaPane

    app = make_app(backend)
    async with run(app) as pilot:
        block = await ask(pilot, "Welke eisen kan ik stellen aan laptops?")
        hint = block.query_one(".criteria-hint", Static)
        assert hint.has_class("shown")
        text = str(hint.render())
        assert "ict-hw-" in text and "F2 Criteria (gefilterd op ICT-hardware" in text

        # "zie F2": the Criteria tab opens on that product group, not on all 80-odd criteria
        await pilot.press("f2")
        pane = app.query_one(CriteriaPane)
        wanted = {c.id for c in filter_criteria(load_records(), product_group="ict-hardware")}
        await wait_until(pilot, lambda: set(pane.cards) == wanted, "the ICT-hardware criteria")
        assert app.query_one("#product_group", Select).value == "ict-hardware"
        assert pane.filters() == {
            "product_group": "ict-hardware",
            "criterion_type": None,
            "ambition": None,
            "theme": None,
            "text": None,
        }

        # F2 after an answer without criteria leaves the tab as the user left it
        await ask(pilot, VTH)
        await pilot.press("f2")
        await pilot.pause()
        assert app.query_one("#product_group", Select).value == "ict-hardware"


def test_the_model_loads_before_the_first_question(settings, built_index, question_log) -> None:
    # Building the app starts loading the assistant: the first answer should not wait for it.
    backend = LocalBackend(settings, question_log=question_log)
    KringwijsApp(backend, stable=True)
    deadline = time.monotonic() + 60
    while backend._assistant is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert backend._assistant is not None
    assert backend._assistant.reader.wait_for_vectors()
