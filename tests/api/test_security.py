"""CORS allowlist, rate limit, request-size cap, API keys, readiness and error hygiene."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from api_support import ALLOWED_ORIGIN, INTERNAL_KEY, api_settings
from fastapi.testclient import TestClient

from api.security import RateLimiter, audience_for
from api.server import create_app
from assistant.question_log import QuestionLog
from kringwijs.settings import Settings

TOO_MANY = "U stelt te veel vragen in korte tijd. Wacht een minuut en probeer het dan opnieuw."


# --- CORS ------------------------------------------------------------------
def test_cors_allowed_origin_is_echoed(client: TestClient) -> None:
    r = client.get("/api/v1/criteria", params={"product_group": "catering"}, headers={"Origin": ALLOWED_ORIGIN})
    assert r.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "Origin" in r.headers["vary"]
    assert "access-control-allow-credentials" not in r.headers


def test_cors_other_origin_gets_no_cors_headers(client: TestClient) -> None:
    r = client.get("/api/v1/criteria", params={"product_group": "catering"}, headers={"Origin": "https://evil.test"})
    assert r.status_code == 200
    assert not [h for h in r.headers if h.lower().startswith("access-control-")]
    assert "Origin" in r.headers["vary"]
    assert "Origin" in client.get("/healthz").headers["vary"]  # also without an Origin header


def test_cors_preflight(client: TestClient) -> None:
    ok = client.options(
        "/api/v1/ask/stream",
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-kringwijs-client",
        },
    )
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "POST" in ok.headers["access-control-allow-methods"]
    assert "X-Kringwijs-Client" in ok.headers["access-control-allow-headers"]
    assert ok.headers["vary"] == "Origin"
    denied = client.options(
        "/api/v1/ask/stream", headers={"Origin": "https://evil.test", "Access-Control-Request-Method": "POST"}
    )
    assert denied.status_code == 403
    assert not [h for h in denied.headers if h.lower().startswith("access-control-")]
    assert denied.headers["vary"] == "Origin"


def test_cors_headers_on_errors_for_allowed_origin(client: TestClient) -> None:
    r = client.post("/api/v1/ask", json={"question": ""}, headers={"Origin": ALLOWED_ORIGIN})
    assert r.status_code == 422 and r.headers["access-control-allow-origin"] == ALLOWED_ORIGIN


# --- rate limit ------------------------------------------------------------
def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = RateLimiter(3, clock=lambda: now[0])
    assert [limiter.check("a") for _ in range(3)] == [None, None, None]
    assert limiter.check("a") == pytest.approx(60.0)
    assert limiter.check("b") is None  # per client
    now[0] = 30.0
    assert limiter.check("a") == pytest.approx(30.0)
    now[0] = 60.5
    assert limiter.check("a") is None  # the oldest hits slid out of the window
    now[0] = 500.0
    limiter.check("c")
    assert len(limiter) == 1  # idle clients are forgotten
    assert RateLimiter(0).check("x") is None  # 0 switches the limit off


def test_429_on_public_endpoints(settings: Settings, assistant, tmp_path: Path) -> None:
    app = create_app(api_settings(settings, rate_limit_per_minute=3), assistant, question_log=_log(tmp_path))
    with TestClient(app) as c:
        for _ in range(3):
            assert c.get("/api/v1/criteria", params={"product_group": "catering"}).status_code == 200
        r = c.post("/api/v1/ask", json={"question": "Hoeveel geld gaat er in 2026 naar VTH?"})
        assert r.status_code == 429
        assert r.json() == {"detail": TOO_MANY}
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert c.get("/api/v1/search", params={"q": "VTH"}).status_code == 429
        assert c.get("/healthz").status_code == 200  # health is never limited
        assert c.get("/widget.js").status_code == 200
        internal = c.get("/api/v1/search", params={"q": "VTH"}, headers={"Authorization": f"Bearer {INTERNAL_KEY}"})
        assert internal.status_code == 200  # key holders are not limited


def _log(tmp_path: Path) -> QuestionLog:
    return QuestionLog(tmp_path / "questions.sqlite")


# --- size cap --------------------------------------------------------------
def test_413_by_content_length(client: TestClient) -> None:
    big = '{"question": "' + "x" * 70_000 + '"}'
    r = client.post("/api/v1/ask", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json() == {"detail": "Het verzoek is te groot. Stel een kortere vraag."}


def test_413_for_a_chunked_body(client: TestClient) -> None:
    def chunks():
        yield b'{"question": "'
        for _ in range(70):
            yield b"x" * 1000
        yield b'"}'

    r = client.post("/api/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["detail"] == "Het verzoek is te groot. Stel een kortere vraag."


# --- keys ------------------------------------------------------------------
def test_audience_from_bearer_key(settings: Settings) -> None:
    s = api_settings(settings, admin_key="beheer-sleutel-1234")
    assert audience_for(None, s) == "public"
    assert audience_for(f"Bearer {INTERNAL_KEY}", s) == "internal"
    assert audience_for("Bearer beheer-sleutel-1234", s) == "internal"
    assert audience_for("bearer  " + INTERNAL_KEY, s) == "internal"
    assert audience_for("Bearer verkeerd", s) is None
    assert audience_for(f"Basic {INTERNAL_KEY}", s) is None
    assert audience_for("Bearer ", s) is None


def test_unknown_key_is_401_in_dutch(client: TestClient) -> None:
    r = client.get("/api/v1/search", params={"q": "VTH"}, headers={"Authorization": "Bearer fout"})
    assert r.status_code == 401
    assert "sleutel" in r.json()["detail"]
    assert r.headers["www-authenticate"] == "Bearer"


def test_settings_refuse_default_admin_key_outside_development() -> None:
    with pytest.raises(ValueError, match="KRINGWIJS_ADMIN_KEY"):
        Settings(environment="production", admin_key="dev-admin-key")
    Settings(environment="production")  # no key at all: internal access is simply off
    Settings(environment="production", admin_key="een-echte-geheime-sleutel-van-24+")


# --- errors ----------------------------------------------------------------
class _Broken:
    """An assistant whose every call fails with a message full of internals."""

    def __getattr__(self, name: str):
        def fail(*args, **kwargs):
            raise RuntimeError('Traceback: File "/work/main/assistant/service.py", line 12, secret=abc')

        return fail


def test_forced_500_has_no_stack_trace(settings: Settings, tmp_path: Path) -> None:
    app = create_app(api_settings(settings), _Broken(), question_log=_log(tmp_path))
    with TestClient(app) as c:  # raise_server_exceptions stays on: nothing may escape the app
        for r in (
            c.post("/api/v1/ask", json={"question": "Hoeveel geld gaat er in 2026 naar VTH?"}),
            c.get("/api/v1/search", params={"q": "VTH"}),
            c.get("/api/v1/sources/x"),
            c.get("/readyz"),
        ):
            assert r.status_code == 500
            assert r.json() == {"detail": "Er ging iets mis bij Kringwijs. Probeer het later opnieuw."}
            for leak in ("Traceback", "/work", "service.py", "RuntimeError", "secret"):
                assert leak not in r.text
            assert r.headers["x-content-type-options"] == "nosniff"
        stream = c.post("/api/v1/ask/stream", json={"question": "VTH?"})
        assert stream.status_code == 200
        assert stream.text.startswith("event: error\n") and "/work" not in stream.text


# --- readiness -------------------------------------------------------------
def test_readyz_503_until_loaded_and_healthz_at_once(settings: Settings, tmp_path: Path) -> None:
    app = create_app(api_settings(settings), question_log=_log(tmp_path))
    with TestClient(app) as c:
        assert c.get("/healthz").status_code == 200
        first = c.get("/readyz")
        assert first.status_code == 503 and first.json()["status"] == "loading"
        blocked = c.get("/api/v1/search", params={"q": "VTH"})
        assert blocked.status_code == 503 and "opstarten" in blocked.json()["detail"]
        deadline = time.monotonic() + 180
        while c.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert c.get("/readyz").json()["status"] == "ready"
        r = c.post("/api/v1/ask", json={"question": "Hoeveel geld gaat er in 2026 naar VTH?"})
        assert "400.000" in r.json()["answer"]


def test_readyz_reports_a_failed_load(tmp_path: Path) -> None:
    empty = Settings(home=tmp_path / "leeg", knowledge_dir=tmp_path / "geen-kennis")
    app = create_app(api_settings(empty), question_log=_log(tmp_path))
    with TestClient(app) as c:
        assert c.get("/healthz").status_code == 200
        deadline = time.monotonic() + 60
        while c.get("/readyz").json()["status"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.1)
        r = c.get("/readyz")
        assert r.status_code == 503 and r.json()["status"] == "error"
        assert "kringwijs ingest" in r.json()["detail"] and str(tmp_path) not in r.text
        assert c.post("/api/v1/ask", json={"question": "Vraag?"}).status_code == 503
