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

REPO = Path(__file__).resolve().parents[2]
E2E = REPO / "tests" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
NOTE = "Graag ook het bedrag voor 2027 noemen."
# Host CSS that would wreck an unisolated widget (the demo page has no buttons of its own).
HOSTILE_CSS = "<style>button{background:#00ff00!important;border:6px dashed #ff00ff!important}</style>"


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


@pytest.fixture
def api_server(secret_home, secret_assistant, tmp_path: Path) -> Iterator[tuple[str, str, QuestionLog]]:
    """(api_url, host_url, question_log): uvicorn with the real app + a host page on another port."""
    api_port, host_port = _free_port(), _free_port()
    api_url, host_url = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{host_port}"
    log = QuestionLog(tmp_path / "questions.sqlite")
    settings = api_settings(secret_home.settings, cors_origins=[host_url], rate_limit_per_minute=120)
    app = create_app(settings, secret_assistant, question_log=log)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=api_port, log_level="warning", access_log=False))
    api_thread = threading.Thread(target=server.run, daemon=True)
    api_thread.start()

    site = tmp_path / "site"
    site.mkdir()
    demo = (REPO / "api" / "static" / "demo.html").read_text(encoding="utf-8")
    page = demo.replace("{{BASE}}", api_url).replace("</head>", HOSTILE_CSS + "</head>")
    (site / "index.html").write_text(page, encoding="utf-8")
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
    for name in ("widget-open.png", "widget-answer.png"):
        assert (docs / name).stat().st_size > 10_000
    assert all(not a["serious_or_critical"] for a in report["axe"])
