"""The FastAPI app: ``create_app(settings)`` for tests and embedding, ``serve(settings)`` for the CLI.

Usage::

    app = create_app(get_settings())          # loads the assistant in the background
    app = create_app(settings, assistant=a)   # ready at once (tests)
    serve(settings)                           # uvicorn on settings.host:settings.port
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from api import errors
from api.middleware import BodyLimit, CORSAllowlist, Guard
from api.routes import ask, criteria, feedback, gaps, health, pages, search, sources
from api.state import AppState
from assistant.question_log import QuestionLog
from kringwijs import __version__
from kringwijs.settings import Settings

log = logging.getLogger("kringwijs.api")

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
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.kringwijs = state
    errors.install(app)
    for module in (health, ask, search, sources, criteria, feedback, gaps, pages):
        app.include_router(module.router)
    # Added last = outermost: CORS wraps everything, so errors carry Vary/CORS headers too.
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(Guard)
    app.add_middleware(CORSAllowlist, origins=list(settings.cors_origins))
    return app


def serve(settings: Settings) -> int:
    """Run uvicorn until interrupted; returns the process exit code."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # One encoder thread per answer (Settings.torch_threads): answers already run in parallel, and
    # a second thread pool per encode oversubscribed the 2 cores (~1.5 s instead of ~40 ms per
    # encode). The embedder sets it for ONNX Runtime and torch alike, so serving never imports torch.
    app = create_app(settings)
    log.info("Kringwijs luistert op http://%s:%s/ (demo-pagina met widget)", settings.host, settings.port)
    # No access log: it would write client addresses, which the question log deliberately never keeps.
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False, log_level="info", proxy_headers=True)
    return 0
