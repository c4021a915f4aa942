"""The TUI against a running Kringwijs server (``kringwijs tui --api URL --key KEY``).

Speaks the public HTTP API (``/api/v1/...``, ``/readyz``) with httpx; the key makes the
requests ``internal``. The server logs the questions (channel ``tui``); its knowledge
gaps come from ``/api/v1/gaps`` (a key is needed); re-ingest stays on the server itself.

Usage::

    backend = RemoteBackend("http://127.0.0.1:8000", "geheime-sleutel")
    answer = backend.ask("Hoeveel geld gaat er in 2026 naar VTH?", [])
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from assistant.question_log import Gap
from assistant.schema import AnswerEvent
from assistant.stream import from_wire
from tui.backend import EMPTY_STATUS, Backend, BackendError, Filters

_MAX_TURNS = 40  # what the API accepts (api.schemas.AskRequest)
_MAX_TURN_CHARS = 4000


class RemoteBackend(Backend):
    """All screens except re-ingest, over HTTP."""

    has_gaps = True

    def __init__(
        self, api_url: str, api_key: str | None = None, *, client: httpx.Client | None = None, timeout: float = 120.0
    ) -> None:
        """``client`` lets tests pass a FastAPI ``TestClient`` (an ``httpx.Client``)."""
        self.base = api_url.rstrip("/")
        headers = {"X-Kringwijs-Client": "tui"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = client or httpx.Client(base_url=self.base, timeout=timeout)
        self._client.headers.update(headers)
        self.label = f"server {self.base} ({'intern' if api_key else 'alleen openbare bronnen'})"
        self._groups: list[tuple[str, str]] | None = None

    # --- plumbing ------------------------------------------------------------
    def _fail(self, response: httpx.Response) -> BackendError:
        if response.status_code == 401:
            return BackendError("De server accepteert de API-sleutel niet. Controleer --key.")
        try:
            detail = response.json().get("detail")
        except (ValueError, AttributeError):
            detail = None
        return BackendError(detail or f"De server antwoordde met fout {response.status_code}.")

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise BackendError(f"De server {self.base} is niet bereikbaar ({type(exc).__name__}).") from exc
        if response.status_code >= 400:
            raise self._fail(response)
        return response

    # --- questions ---------------------------------------------------------------
    def stream(self, question: str, history: Sequence[dict]) -> Iterator[AnswerEvent]:
        turns = [{"role": t["role"], "content": t["content"][:_MAX_TURN_CHARS]} for t in history][-_MAX_TURNS:]
        body = {"question": question, "history": turns}
        try:
            with self._client.stream("POST", "/api/v1/ask/stream", json=body) as response:
                if response.status_code >= 400:
                    response.read()
                    raise self._fail(response)
                yield from from_wire(_sse(response.iter_lines()))
        except httpx.HTTPError as exc:
            raise BackendError(f"De verbinding met {self.base} viel weg ({type(exc).__name__}).") from exc

    def source(self, doc_id: str, chunk_id: str | None) -> dict | None:
        params = {"chunk": chunk_id} if chunk_id else {}
        try:
            return self._request("GET", f"/api/v1/sources/{quote(doc_id, safe='')}", params=params).json()
        except BackendError:
            return None

    def feedback(self, answer_id: str, rating: int, comment: str | None = None) -> bool:
        body = {"answer_id": answer_id, "rating": "up" if rating > 0 else "down", "comment": comment}
        try:
            self._request("POST", "/api/v1/feedback", json=body)
        except BackendError:
            return False
        return True

    # --- index -------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        ready = self._request("GET", "/readyz").json()
        return {**EMPTY_STATUS, **{k: ready.get(k) for k in ("generation", "documents", "chunks")}, "remote": True}

    # --- criteria ----------------------------------------------------------------
    def _criteria_page(self, filters: Filters) -> dict[str, Any]:
        names = {"product_group": "product_group", "criterion_type": "type", "ambition": "ambition", "theme": "theme"}
        params = {api: filters[key] for key, api in names.items() if filters.get(key) not in (None, "")}
        if filters.get("text"):
            params["q"] = filters["text"]
        return self._request("GET", "/api/v1/criteria", params=params).json()

    def criteria(self, filters: Filters) -> list[dict[str, Any]]:
        page = self._criteria_page(filters)
        return [card for group in page.get("groups", []) for card in group.get("cards", [])]

    def product_groups(self) -> list[tuple[str, str]]:
        if self._groups is None:
            page = self._criteria_page({})
            self._groups = [(g["slug"], g["label"]) for g in page.get("product_groups", [])]
        return self._groups

    def export_criteria(self, ids: Sequence[str], fmt: str, path: Path, title: str | None = None) -> Path:
        body: dict[str, Any] = {"ids": list(ids), "format": fmt}
        if title:
            body["title"] = title
        data = self._request("POST", "/api/v1/criteria/export", json=body).content
        path = Path(path).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            raise BackendError(f"Kan niet schrijven naar {path}: {exc.strerror or exc}.") from exc
        return path

    # --- knowledge gaps ------------------------------------------------------
    def gaps(self, limit: int = 50) -> list[Gap]:
        data = self._request("GET", "/api/v1/gaps", params={"limit": limit}).json()
        out = []
        for item in data.get("gaps", []):
            seen = item.get("last_seen")
            out.append(Gap(**{**item, "last_seen": datetime.fromisoformat(seen) if seen else None}))
        return out

    def mark_handled(self, group_id: str) -> None:
        self._request("POST", f"/api/v1/gaps/{quote(group_id, safe='')}/handled")

    def close(self) -> None:
        self._client.close()


def _sse(lines: Iterator[str]) -> Iterator[tuple[str, Any]]:
    """(event, JSON data) pairs from a server-sent event stream."""
    event, data = "message", []
    for line in lines:
        if not line:
            if data:
                yield event, json.loads("\n".join(data))
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
    if data:
        yield event, json.loads("\n".join(data))
