"""The security suite runs against a real uvicorn server on 127.0.0.1 (``bench.fuzz.live_server``:
the same options as ``kringwijs serve``), over the session's real index and assistant."""

from __future__ import annotations

import pytest

from bench.fuzz import fuzz_settings, live_server
from kringwijs.settings import Settings


@pytest.fixture(scope="session")
def server(settings: Settings, assistant):
    with live_server(fuzz_settings(settings), assistant) as live:
        yield live
