"""API fixtures: the real assistant behind a TestClient, and a home with an internal document.

``secret_home`` copies the session index (so the bundled knowledge is not embedded twice)
and ingests two extra Markdown files into it: one ``audience: internal`` document with a
unique secret sentence, and one public document whose text carries an XSS payload.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from api_support import INTERNAL_DOC, XSS_DOC, api_settings
from fastapi.testclient import TestClient

from api.server import create_app
from assistant.question_log import QuestionLog
from kringwijs.settings import Settings


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
