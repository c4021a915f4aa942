"""uvicorn's HTTP protocols with a Dutch JSON body for requests that cannot be parsed at all.

A malformed request line or header (e.g. ``Content-Length: abc``) never reaches the app:
uvicorn answers 400 itself with the English text "Invalid HTTP request received.". These
subclasses send the same status with the API's error body in Dutch instead.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.h11_impl import H11Protocol

from api.errors import BAD_REQUEST

_BODY = json.dumps({"detail": BAD_REQUEST + " Controleer de HTTP-kopregels."}, ensure_ascii=False).encode()
_RESPONSE = (
    b"HTTP/1.1 400 Bad Request\r\n"
    b"content-type: application/json; charset=utf-8\r\n"
    b"content-length: " + str(len(_BODY)).encode() + b"\r\n"
    b"x-content-type-options: nosniff\r\n"
    b"connection: close\r\n\r\n" + _BODY
)


class _Dutch400:
    transport: object

    def send_400_response(self, msg: str) -> None:  # uvicorn's hook for unparsable requests
        self.transport.write(_RESPONSE)  # type: ignore[attr-defined]
        self.transport.close()  # type: ignore[attr-defined]


class DutchH11Protocol(_Dutch400, H11Protocol):  # type: ignore[misc]  # uvicorn types transport per class
    """h11 (pure Python) with the Dutch 400."""


def protocol_class() -> type:
    """httptools when installed (uvicorn's own preference), else h11; both with the Dutch 400."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return DutchH11Protocol

    class DutchHttpToolsProtocol(_Dutch400, HttpToolsProtocol):  # type: ignore[misc]
        """httptools with the Dutch 400."""

    return DutchHttpToolsProtocol
