"""The FastAPI app: ``create_app(settings)`` for tests and embedding, ``serve(settings)`` for the CLI.

Usage::

    app = create_app(get_settings())          # loads the assistant in the background
    app = create_app(settings, assistant=a)   # ready at once (tests)
    serve(settings)                           # uvicorn on settings.host:settings.port
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api import errors
from api.middleware import BodyLimit, CORSAllowlist, Guard
from api.routes import ask, criteria, feedback, gaps, health, pages, search, sources
from api.state import AppState
from assistant.question_log import QuestionLog
from kringwijs import __version__
from kringwijs.settings import Settings

log = logging.getLogger("kringwijs.api")
ERROR_BODY_REF = {"$ref": "#/components/schemas/ErrorBody"}

DESCRIPTION = (
    "Kringwijs beantwoordt vragen over het circulaire-economiebeleid van de provincie Utrecht, "
    "met bronvermelding. Zonder API-sleutel ziet u alleen openbare documenten; met "
    "`Authorization: Bearer <sleutel>` ook interne."
)


def create_app(settings: Settings, assistant: Any = None, *, question_log: QuestionLog | None = None) -> FastAPI:
    """Build the app. Without ``assistant`` it is loaded in a background thread at startup."""
    state = AppState(settings, assistant, question_log)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.start_loading()
        yield
        state.close()

    app = FastAPI(
        title="Kringwijs",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        debug=False,
        docs_url=None,  # our own /docs below: local assets, off in production
        redoc_url=None,
    )
    app.state.kringwijs = state
    errors.install(app)
    app.include_router(health.router)
    # Every API route declares the one error body for every status it can return (OpenAPI).
    api_errors = errors.error_responses(400, 401, 403, 404, 413, 422, 429, 503)
    for module in (ask, search, sources, criteria, feedback, gaps):
        app.include_router(module.router, responses=api_errors)
    # The pages answer HTML, but a bad query (422) gets the JSON error body like every route.
    json_422 = {"description": "Ongeldige invoer", "content": {"application/json": {"schema": ERROR_BODY_REF}}}
    html_404 = {"description": "Bron niet gevonden (HTML-pagina)", "content": {"text/html": {}}}
    app.include_router(pages.router, responses={404: html_404, 422: json_422})
    if settings.environment == "development":
        _local_docs(app)
    # Added last = outermost: CORS wraps everything, so errors carry Vary/CORS headers too.
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(Guard)
    app.add_middleware(CORSAllowlist, origins=list(settings.cors_origins))
    return app


def _swagger_assets() -> Path:
    # fastapi-offline ships Swagger UI 5 (OpenAPI 3.1) as package data; only its files are used.
    spec = importlib.util.find_spec("fastapi_offline")
    assert spec is not None and spec.submodule_search_locations, "fastapi-offline is not installed"
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def _local_docs(app: FastAPI) -> None:
    """``/docs`` with Swagger UI from this server (no CDN: it works offline and leaks no visits)."""
    app.mount("/docs-static", StaticFiles(directory=_swagger_assets()), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="Kringwijs API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/docs-static/favicon.png",
        )


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn runs the app; shared by ``serve`` and the tests that start a real server.

    Forwarded headers (X-Forwarded-For/-Proto) are believed only from the listed proxies: with
    none, the client address is the TCP peer, so a client cannot choose its own rate-limit key.
    """
    from api.http_protocol import protocol_class

    trusted = [p.strip() for p in settings.trusted_proxies if p.strip()]
    return {
        "host": settings.host,
        "port": settings.port,
        "http": protocol_class(),
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
        # No access log: it would write client addresses, which the question log never keeps.
        "access_log": False,
        "log_level": "info",
    }


def serve(settings: Settings) -> int:
    """Run uvicorn until interrupted; returns the process exit code."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # One encoder thread per answer (Settings.torch_threads): answers already run in parallel, and
    # a second thread pool per encode oversubscribed the 2 cores (~1.5 s instead of ~40 ms per
    # encode). The embedder sets it for ONNX Runtime and torch alike, so serving never imports torch.
    app = create_app(settings)
    log.info("Kringwijs luistert op http://%s:%s/ (demo-pagina met widget)", settings.host, settings.port)
    if not (settings.admin_key or settings.internal_api_keys):
        log.info("Geen API-sleutel ingesteld: alleen openbare documenten, geen kennislacunes via de API")
    uvicorn.run(app, **uvicorn_options(settings))
    return 0
