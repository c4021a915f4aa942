"""Pure-ASGI middleware: CORS allowlist, request-size cap, and a last-resort error guard.

Order (outermost first): CORS -> Guard -> BodyLimit -> app, so that even a 413 or a
500 carries ``Vary: Origin`` and, for allowed origins, the CORS header the widget needs
to read the Dutch message.
"""

from __future__ import annotations

import json
import logging

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import INTERNAL_ERROR, TOO_LARGE

log = logging.getLogger("kringwijs.api")

ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type, X-Kringwijs-Client"
EXPOSE_HEADERS = "Retry-After, Content-Disposition"
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]


async def _send_json(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": raw + (headers or [])})
    await send({"type": "http.response.body", "body": body})


class CORSAllowlist:
    """Echo ``Access-Control-Allow-Origin`` only for allow-listed origins; always send ``Vary: Origin``."""

    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        self.app = app
        self.allow_all = "*" in origins
        self.origins = {o.rstrip("/") for o in origins if o != "*"}

    def allowed(self, origin: str | None) -> bool:
        return bool(origin) and (self.allow_all or origin in self.origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        allowed = self.allowed(origin)
        if scope["method"] == "OPTIONS" and origin and "access-control-request-method" in headers:
            if not allowed:
                await _send_json(send, 403, "Deze website mag Kringwijs niet gebruiken.", [(b"vary", b"Origin")])
                return
            preflight = [
                (b"access-control-allow-origin", origin.encode()),
                (b"access-control-allow-methods", ALLOW_METHODS.encode()),
                (b"access-control-allow-headers", ALLOW_HEADERS.encode()),
                (b"access-control-max-age", b"600"),
                (b"vary", b"Origin"),
                (b"content-length", b"0"),
            ]
            await send({"type": "http.response.start", "status": 204, "headers": preflight})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out.add_vary_header("Origin")
                if allowed:
                    out["Access-Control-Allow-Origin"] = origin or ""
                    out["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_cors)


class Guard:
    """Adds security headers; turns any unhandled exception into a Dutch 500 without details."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + _SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, receive, send_guarded)
        except Exception:
            log.exception("Onverwachte fout bij %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await _send_json(send, 500, INTERNAL_ERROR, _SECURITY_HEADERS)


class RequestTooLarge(HTTPException):
    """Raised while reading a body that outgrows the cap (FastAPI passes HTTPExceptions on)."""

    def __init__(self) -> None:
        super().__init__(413, TOO_LARGE)


class BodyLimit:
    """413 for bodies over ``max_bytes``, by Content-Length or by counting a chunked body."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _send_json(send, 413, TOO_LARGE)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise RequestTooLarge()
            return message

        await self.app(scope, limited_receive, send)
