"""Chat backends for the LLM answer mode: a local GGUF, or any OpenAI-compatible server.

Both stream text pieces for a list of chat messages with greedy decoding (temperature 0).

Usage::

    backend = get_backend(settings)  # "local" or "openai", from settings.llm_backend
    for piece in backend.stream_chat([{"role": "user", "content": "Hallo"}], max_tokens=50):
        print(piece, end="")
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import httpx

from kringwijs.settings import Settings

Messages = list[dict[str, str]]


class LLMUnavailable(Exception):
    """The configured LLM cannot be used; the message says why and what to do, in Dutch."""


class ChatBackend(Protocol):
    """What the answerer needs from a model: streamed text for chat messages."""

    name: str

    def stream_chat(self, messages: Messages, *, max_tokens: int) -> Iterator[str]: ...


# One loaded model per (path, n_ctx, threads) in the process, with a lock per model:
# a llama.cpp context serves one generation at a time.
_LOADED: dict[tuple[str, int, int], tuple[Any, threading.Lock]] = {}
_LOAD_LOCK = threading.Lock()


def _load_llama(path: Path, n_ctx: int, n_threads: int) -> tuple[Any, threading.Lock]:
    key = (str(path), n_ctx, n_threads)
    with _LOAD_LOCK:
        if key not in _LOADED:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise LLMUnavailable(
                    "llama-cpp-python is niet geïnstalleerd. Installeer het met scripts/install-llm.sh "
                    '(bouwt met CMAKE_ARGS="-DGGML_NATIVE=OFF"), of kies KRINGWIJS_LLM_BACKEND=openai.'
                ) from exc
            model = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, verbose=False)
            _LOADED[key] = (model, threading.Lock())
        return _LOADED[key]


class LocalBackend:
    """A GGUF file run in-process by llama-cpp-python; loaded on first use, then reused."""

    name = "local"

    def __init__(self, settings: Settings) -> None:
        from assistant.llm_model import LLMModelError, resolve_llm_path

        try:
            self.path = resolve_llm_path(settings)
        except LLMModelError as exc:
            raise LLMUnavailable(str(exc)) from exc
        self.n_ctx = settings.llm_ctx
        self.n_threads = settings.llm_threads

    def stream_chat(self, messages: Messages, *, max_tokens: int) -> Iterator[str]:
        model, lock = _load_llama(self.path, self.n_ctx, self.n_threads)
        with lock:
            # llama.cpp keeps the KV cache of the previous prompt and reuses the common prefix,
            # so the fixed system prompt is only read once per process.
            chunks = model.create_chat_completion(
                messages=messages, stream=True, temperature=0.0, max_tokens=max_tokens
            )
            for chunk in chunks:
                choices = chunk.get("choices") or [{}]
                text = (choices[0].get("delta") or {}).get("content")
                if text:
                    yield text


class OpenAIBackend:
    """``POST {base_url}/chat/completions`` with ``stream: true`` (Ollama, vLLM, llama.cpp, hosted APIs)."""

    name = "openai"

    def __init__(self, settings: Settings, *, timeout: float = 120.0) -> None:
        if not settings.llm_base_url:
            raise LLMUnavailable(
                "Geen adres voor de LLM-server ingesteld. Zet KRINGWIJS_LLM_BASE_URL, "
                "bijvoorbeeld http://127.0.0.1:8080/v1."
            )
        self.url = settings.llm_base_url.rstrip("/") + "/chat/completions"
        self.model = settings.llm_model
        self.headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
        self.timeout = httpx.Timeout(timeout, connect=5.0)

    def stream_chat(self, messages: Messages, *, max_tokens: int) -> Iterator[str]:
        payload = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            "temperature": 0,
            "max_tokens": max_tokens,
        }
        try:
            with httpx.stream("POST", self.url, json=payload, headers=self.headers, timeout=self.timeout) as response:
                if response.status_code != 200:
                    detail = response.read().decode("utf-8", "replace")[:200]
                    raise LLMUnavailable(f"De LLM-server gaf HTTP {response.status_code}: {detail}")
                yield from parse_sse(response.iter_lines())
        except httpx.HTTPError as exc:
            raise LLMUnavailable(f"De LLM-server op {self.url} is niet bereikbaar: {exc}") from exc


def parse_sse(lines: Iterator[str]) -> Iterator[str]:
    """Text pieces from the ``data:`` lines of an OpenAI chat-completions event stream."""
    for line in lines:
        if not line.startswith("data:"):
            continue  # blank separators, comments (": ping") and "event:" lines
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            event = json.loads(data)
        except json.JSONDecodeError:
            continue
        if event.get("error"):
            raise LLMUnavailable(f"De LLM-server meldde een fout: {event['error']}")
        choices = event.get("choices") or [{}]
        text = (choices[0].get("delta") or {}).get("content")
        if text:
            yield text


def get_backend(settings: Settings) -> ChatBackend:
    """The backend chosen by ``settings.llm_backend``; raises :class:`LLMUnavailable`."""
    if settings.llm_backend == "openai":
        return OpenAIBackend(settings)
    return LocalBackend(settings)
