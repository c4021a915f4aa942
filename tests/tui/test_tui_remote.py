"""The TUI against the real API app (``create_app``) through FastAPI's TestClient (an httpx.Client)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from textual.widgets import Button, DataTable, Input, Static

from api.server import create_app
from assistant.question_log import QuestionLog
from tui.backend import BackendError
from tui.remote_backend import RemoteBackend
from tui.source_panel import SourcePanel

pytestmark = pytest.mark.anyio  # async tests run on asyncio (anyio's pytest plugin)

KEY = "tui-test-sleutel"


@pytest.fixture
def server(settings, assistant, tmp_path: Path):
    """The real API app on the session index, with an internal key and its own question log."""
    log = QuestionLog(tmp_path / "server-questions.sqlite")
    app = create_app(settings.model_copy(update={"internal_api_keys": [KEY]}), assistant=assistant, question_log=log)
    with TestClient(app) as client:
        yield client, log
    log.close()


async def test_remote_backend_drives_every_screen(
    server, make_app, run, choose, ask, wait_until, tmp_path: Path
) -> None:
    client, log = server
    backend = RemoteBackend("http://testserver", KEY, client=client)
    app = make_app(backend)
    async with run(app) as pilot:
        assert "server http://testserver (intern)" in app.sub_title
        block = await ask(pilot, "Hoeveel geld gaat er in 2026 naar VTH?")
        assert "400.000" in str(block.query_one(".answer", Static).render())
        assert block.answer.citations[0].page == 21

        await pilot.press("ctrl+o", "enter")
        panel = app.query_one(SourcePanel)
        await wait_until(pilot, lambda: bool(panel.query(".cited")), "the remote passage")
        assert "400.000" in str(panel.query_one(".passage.cited", Static).render())
        await pilot.press("escape", "ctrl+g")
        await wait_until(pilot, lambda: bool(app.query(".rating.rated")), "the rating")

        await pilot.press("f2")
        table = app.query_one("#criteria-table", DataTable)
        await wait_until(pilot, lambda: table.row_count > 0, "the remote criteria")
        await choose(pilot, "product_group", "catering")
        await wait_until(pilot, lambda: table.get_row_at(0)[3] == "Catering" and table.row_count < 20, "filter")
        table.focus()
        await pilot.press("space", "ctrl+s", "enter")
        exported = tmp_path / "exports" / "mvi-criteria-selectie.docx"
        await wait_until(pilot, exported.exists, "the remote DOCX")
        first = next(iter(app.query_one("CriteriaPane").selected))
        assert any(p.text.startswith(first) for p in Document(str(exported)).paragraphs)

        # A refused question on the server shows up under Kennislacunes, and can be handled there.
        refused = await ask(pilot, "Hoeveel budget heeft Gelderland?")
        assert refused.answer.refused
        await pilot.press("f3")
        gaps = app.query_one("#gaps-table", DataTable)
        await wait_until(pilot, lambda: gaps.row_count == 1, "the remote gap")
        assert gaps.get_row_at(0)[1:] == ["Hoeveel budget heeft Gelderland?", "1× geweigerd", "open"]
        await pilot.press("a")
        await wait_until(pilot, lambda: gaps.row_count and gaps.get_row_at(0)[3] == "afgehandeld", "handled")
        assert log.gaps()[0].handled

        await pilot.press("f4")
        summary = app.query_one("#index-summary", Static)
        await wait_until(pilot, lambda: "Index op de server" in str(summary.render()), "the remote status")
        assert app.query_one("#reingest", Button).disabled
        assert app.query_one("#question", Input).value == ""

    logged = log.recent()
    assert {(q.channel, q.audience, q.rating) for q in logged} == {("tui", "internal", None), ("tui", "internal", 1)}


def test_gaps_api_is_for_staff_only(server) -> None:
    client, _log = server
    assert client.get("/api/v1/gaps").status_code == 403
    assert client.get("/api/v1/gaps", headers={"Authorization": "Bearer onbekend"}).status_code == 401
    staff = {"Authorization": f"Bearer {KEY}"}
    client.post("/api/v1/ask", json={"question": "Hoeveel budget heeft Gelderland?"})  # refused, logged
    body = client.get("/api/v1/gaps", headers=staff).json()
    assert [g["question"] for g in body["gaps"]] == ["Hoeveel budget heeft Gelderland?"]
    group = body["gaps"][0]["group_id"]
    assert client.post(f"/api/v1/gaps/{group}/handled").status_code == 403
    assert client.post(f"/api/v1/gaps/{group}/handled", headers=staff).json() == {"handled": True}
    assert client.get("/api/v1/gaps", headers=staff).json()["gaps"][0]["handled"] is True


def test_remote_backend_reports_a_wrong_key_in_dutch(server) -> None:
    client, _log = server
    backend = RemoteBackend("http://testserver", "verkeerde-sleutel", client=client)
    with pytest.raises(BackendError, match="API-sleutel"):
        backend.ask("Hoeveel geld gaat er in 2026 naar VTH?", [])


def test_remote_backend_without_server_says_so() -> None:
    backend = RemoteBackend("http://127.0.0.1:9", None, timeout=2)
    with pytest.raises(BackendError, match="niet bereikbaar"):
        backend.status()
    assert backend.source("x", None) is None
    backend.close()
