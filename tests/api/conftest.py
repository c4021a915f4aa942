"""API fixtures: the real assistant behind a TestClient, and a home with an internal document.

``secret_home`` copies the session index (so the bundled knowledge is not embedded twice)
and ingests two extra Markdown files into it: one ``audience: internal`` document with a
unique secret sentence, and one public document whose text carries an XSS payload.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.server import create_app
from assistant.question_log import QuestionLog
from kringwijs.settings import Settings

INTERNAL_KEY = "test-internal-key-7f3a"
ALLOWED_ORIGIN = "http://widget-host.test"
SECRET_WORD = "Zilverreiger"
SECRET_AMOUNT = "987.654"
SECRET_SENTENCE = (
    f"De vertrouwelijke reservering voor project {SECRET_WORD} bedraagt € {SECRET_AMOUNT} en blijft tot 2027 geheim."
)
SECRET_QUESTION = f"Hoeveel bedraagt de reservering voor project {SECRET_WORD}?"
XSS_QUESTION = "Wat verkoopt kringloopwinkel Ooievaar?"

INTERNAL_DOC = f"""---
title: Interne notitie reserveringen
doc_id: interne-notitie-reserveringen
audience: internal
doc_type: notitie
---
# Interne notitie reserveringen

## Project {SECRET_WORD}

{SECRET_SENTENCE}

Het project {SECRET_WORD} wordt intern besproken in het programmateam.
"""

# The two payloads sit on separate lines: Markdown emphasis stripping would otherwise
# read "__xss=1 ... window.__" as bold and eat the underscores.
XSS_DOC = """---
title: Testdocument kringloopwinkels
doc_id: testdocument-kringloop-ooievaar
doc_type: document
---
# Kringloopwinkels in de regio

## Kringloopwinkel Ooievaar

Kringloopwinkel Ooievaar in Amersfoort verkoopt gebruikte meubels en kleding <img src=x onerror="window.__xss=1"> tegen lage prijzen.
Kringloopwinkel Ooievaar verkoopt ook gerepareerde fietsen <script>window.__xss=2</script> en tweedehands boeken.
"""


@dataclass
class SecretHome:
    settings: Settings
    extra_dir: Path


@pytest.fixture(scope="session")
def secret_home(tmp_path_factory: pytest.TempPathFactory, model_home: Path, settings: Settings, built_index, embedder):
    """The bundled index plus an internal document and an XSS test document."""
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("kw-secret")
    home = root / "home"
    (home / "models").mkdir(parents=True)
    for model in (model_home / "models").iterdir():
        (home / "models" / model.name).symlink_to(model)
    shutil.copytree(settings.index_dir, home / "index")
    extra = root / "extra"
    extra.mkdir()
    (extra / "interne-notitie.md").write_text(INTERNAL_DOC, encoding="utf-8")
    (extra / "kringloop-test.md").write_text(XSS_DOC, encoding="utf-8")
    secret_settings = Settings(home=home)
    report = run_ingest(secret_settings, [extra], embedder=embedder)
    assert report.ok, report.failed
    assert len(report.added) == 2, report
    return SecretHome(settings=secret_settings, extra_dir=extra)


@pytest.fixture(scope="session")
def secret_assistant(secret_home: SecretHome, embedder):
    from assistant.service import Assistant

    return Assistant(secret_home.settings, embedder=embedder)


def api_settings(base: Settings, **update: object) -> Settings:
    """Test settings: generous rate limit unless a test asks otherwise, one extra origin, one key."""
    values = {
        "rate_limit_per_minute": 10_000,
        "cors_origins": [ALLOWED_ORIGIN],
        "internal_api_keys": [INTERNAL_KEY],
    }
    values.update(update)
    return base.model_copy(update=values)


@pytest.fixture(scope="session")
def question_log(tmp_path_factory: pytest.TempPathFactory) -> QuestionLog:
    log = QuestionLog(tmp_path_factory.mktemp("kw-log") / "questions.sqlite")
    yield log
    log.close()


@pytest.fixture(scope="session")
def client(settings: Settings, assistant, question_log: QuestionLog) -> TestClient:
    """The app over the bundled index, with the session assistant (real model, real Chroma)."""
    app = create_app(api_settings(settings), assistant, question_log=question_log)
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def secret_client(secret_home: SecretHome, secret_assistant, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The app over the index that also holds the internal document."""
    log = QuestionLog(tmp_path_factory.mktemp("kw-secret-log") / "questions.sqlite")
    app = create_app(api_settings(secret_home.settings), secret_assistant, question_log=log)
    with TestClient(app) as c:
        yield c
    log.close()


@pytest.fixture(scope="session")
def sse():
    """The strict SSE parser below, as a fixture."""
    return parse_sse


def parse_sse(body: str) -> list[tuple[str, Any]]:
    """``[(event, data)]``; asserts every block is exactly one ``event:`` and one ``data:`` line."""
    assert body.endswith("\n\n"), "an SSE stream ends with a blank line"
    events = []
    for block in body.split("\n\n")[:-1]:
        lines = block.split("\n")
        assert len(lines) == 2, f"unexpected SSE block: {block!r}"
        assert lines[0].startswith("event: ") and lines[1].startswith("data: "), block
        events.append((lines[0][len("event: ") :], json.loads(lines[1][len("data: ") :])))
    return events
