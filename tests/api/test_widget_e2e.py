"""The widget in a real headless Chromium (Debian's ``chromium`` driven by ``playwright-core``).

uvicorn serves the real app on 127.0.0.1; the host page (a copy of the demo page with the
widget tag) comes from a *different* origin, which is the only one in the CORS allowlist.
The browser steps live in ``tests/e2e/widget.e2e.mjs``; install what they need with
``scripts/install-browser-deps.sh``.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import uvicorn
from api_support import XSS_QUESTION, api_settings

from api.server import create_app
from assistant.question_log import QuestionLog
from kringwijs.settings import Settings

REPO = Path(__file__).resolve().parents[2]
E2E = REPO / "tests" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
NOTE = "Graag ook het bedrag voor 2027 noemen."
# Host CSS that would wreck an unisolated widget (the demo page has no buttons of its own).
HOSTILE_CSS = "<style>button{background:#00ff00!important;border:6px dashed #ff00ff!important}</style>"
# A public document with web addresses and a literal "[1]" of its own (a reference to a
# guideline): the addresses must become links, the "[1]" must stay text.
LINK_DOC_ID = "testdocument-reparatie-reiger"
LINK_DOC = f"""---
title: Testdocument reparatie Reiger
doc_id: {LINK_DOC_ID}
doc_type: document
---
# Reparatie in de regio

## Kringloopwinkel Reiger

Kringloopwinkel Reiger in Zeist repareert elektrische fietsen volgens richtlijn [1] van de branchevereniging.
Meer informatie staat op https://www.example.org/reiger en op http://reiger.example.nl/over.
Een adres als javascript:alert(1) blijft gewone tekst.
"""
LINK_QUESTION = "Wat repareert kringloopwinkel Reiger?"
# The same demo page for buyers: their starter questions, the site's own contact page, and a
# privacy address that is not http(s), so the widget must keep its default.
AUDIENCE_ATTRS = (
    'data-audience="inkopers" data-contact-url="https://www.example.org/contact" data-privacy-url="javascript:alert(1)"'
)


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return "/usr/bin/chromium ontbreekt: voer scripts/install-browser-deps.sh uit"
    if not (E2E / "node_modules" / "playwright-core").is_dir() or not (E2E / "node_modules" / "axe-core").is_dir():
        return "tests/e2e/node_modules ontbreekt: voer scripts/install-browser-deps.sh uit"
    if shutil.which("node") is None:
        return "node ontbreekt"
    return None


_REASON = _missing()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def widget_home(secret_home, embedder, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The API tests' index (bundled knowledge, XSS document) plus the document with links."""
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("kw-widget")
    home = root / "home"
    (home / "models").mkdir(parents=True)
    for model in (secret_home.settings.home / "models").iterdir():
        (home / "models" / model.name).symlink_to(model.resolve())
    shutil.copytree(secret_home.settings.index_dir, home / "index")
    extra = root / "extra"
    extra.mkdir()
    (extra / "reparatie-reiger.md").write_text(LINK_DOC, encoding="utf-8")
    settings = Settings(home=home)
    report = run_ingest(settings, [extra], embedder=embedder)
    assert report.ok and len(report.added) == 1, report
    return settings


@pytest.fixture
def api_server(widget_home: Settings, embedder, tmp_path: Path) -> Iterator[tuple[str, str, QuestionLog]]:
    """(api_url, host_url, question_log): uvicorn with the real app + a host page on another port."""
    from assistant.service import Assistant

    api_port, host_port = _free_port(), _free_port()
    api_url, host_url = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{host_port}"
    log = QuestionLog(tmp_path / "questions.sqlite")
    settings = api_settings(widget_home, cors_origins=[host_url], rate_limit_per_minute=120)
    app = create_app(settings, Assistant(widget_home, embedder=embedder), question_log=log)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=api_port, log_level="warning", access_log=False))
    api_thread = threading.Thread(target=server.run, daemon=True)
    api_thread.start()

    site = tmp_path / "site"
    site.mkdir()
    demo = (REPO / "api" / "static" / "demo.html").read_text(encoding="utf-8")
    page = demo.replace("{{BASE}}", api_url).replace("</head>", HOSTILE_CSS + "</head>")
    (site / "index.html").write_text(page, encoding="utf-8")
    buyers = page.replace(
        'data-title="Vraag het de provincie"', f'data-title="Vraag het de provincie" {AUDIENCE_ATTRS}'
    )
    assert buyers != page
    (site / "inkopers.html").write_text(buyers, encoding="utf-8")
    httpd = ThreadingHTTPServer(("127.0.0.1", host_port), functools.partial(_QuietHandler, directory=str(site)))
    host_thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    host_thread.start()

    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield api_url, host_url, log
    finally:
        server.should_exit = True
        httpd.shutdown()
        api_thread.join(timeout=10)
        httpd.server_close()
        log.close()


def test_widget_in_headless_chromium(api_server: tuple[str, str, QuestionLog], tmp_path: Path) -> None:
    api_url, host_url, log = api_server
    # Screenshots go to a temporary folder; KRINGWIJS_SCREENSHOTS=1 refreshes the README's
    # copies in docs/ (a test run must not rewrite tracked files).
    docs = REPO / "docs" if os.environ.get("KRINGWIJS_SCREENSHOTS") == "1" else tmp_path / "shots"
    docs.mkdir(exist_ok=True)
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "HOST_URL": host_url,
        "API_URL": api_url,
        "SHOT_DIR": str(docs),
        "XSS_QUESTION": XSS_QUESTION,
        "FEEDBACK_NOTE": NOTE,
        "LINK_QUESTION": LINK_QUESTION,
        "LINK_DOC_ID": LINK_DOC_ID,
        "FAILURE_SHOT": str(tmp_path / "widget-failure.png"),
    }
    proc = subprocess.run(
        ["node", str(E2E / "widget.e2e.mjs")], cwd=E2E, env=env, capture_output=True, text=True, timeout=600
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no report from the browser test\nstdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}"
    report = json.loads(lines[-1])
    details = json.dumps(report, indent=2, ensure_ascii=False) + f"\nscreenshot: {tmp_path / 'widget-failure.png'}"
    assert proc.returncode == 0 and report["ok"], details

    # The thumbs-down and its comment landed in the question log, channel "widget".
    row = log.get(report["feedback_answer_id"])
    assert row is not None and row.channel == "widget" and row.audience == "public"
    assert (row.rating, row.comment) == (-1, NOTE)
    assert "400.000" in row.answer
    for name in ("widget-open.png", "widget-answer.png", "widget-criteria.png", "widget-mobile.png"):
        assert (docs / name).stat().st_size > 10_000
    # axe: not one violation of any impact (moderate ones such as heading order included)
    assert [a["label"] for a in report["axe"]] == [
        "open panel",
        "source passage",
        "passage with links",
        "/bron page",
        "320 px",
        "buyers' page",
    ]
    assert all(a["violations"] == [] for a in report["axe"]), report["axe"]
