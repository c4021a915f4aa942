"""The widget script, the demo host page at ``/`` and the ``/bron/{doc_id}`` passage page."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import AssistantDep, PublicLimit
from api.routes.sources import load_source
from api.security import PUBLIC

router = APIRouter(tags=["widget"])
STATIC = Path(__file__).resolve().parent.parent / "static"

# The demo page only loads our own script; the passage page loads no script at all.
DEMO_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'"
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


# Web addresses in a passage become links; only http(s), so javascript: and data: stay text.
_URL = re.compile(r"https?://[^\s<>\"'\u00a0]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]'\"\u2019\u201d"


def plural(n: int, one: str, many: str) -> str:
    """'1 passage', '2 passages'."""
    return f"{n} {one if n == 1 else many}"


def linkify(text: str) -> str:
    """``text`` as escaped HTML with its http(s) addresses as links (rel="noopener")."""
    out, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)  # sentence punctuation is not part of the address
        out.append(html.escape(text[last : match.start()]))
        href = html.escape(url, quote=True)
        out.append(f'<a href="{href}" rel="noopener">{html.escape(url)}</a>')
        last = match.start() + len(url)
    out.append(html.escape(text[last:]))
    return "".join(out)


@lru_cache(maxsize=4)
def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


@router.get("/widget.js", include_in_schema=False)
def widget_js() -> Response:
    return Response(
        _static("widget.js"),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def demo_page(request: Request) -> HTMLResponse:
    base = html.escape(str(request.base_url).rstrip("/"), quote=True)
    return HTMLResponse(_static("demo.html").replace("{{BASE}}", base), headers={"Content-Security-Policy": DEMO_CSP})


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    doc = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} — Kringwijs</title><style>"
        "body{font:17px/1.6 system-ui,sans-serif;color:#1a1a1a;max-width:760px;margin:0 auto;padding:16px}"
        ".p{white-space:pre-wrap;overflow-wrap:anywhere;padding:8px;margin:8px 0;border-radius:6px}"
        ".c{background:#fff4c2;border-left:4px solid #8a5a00}.m{color:#4a4a4a;font-size:.9rem}"
        "</style></head><body><main>" + body + "</main></body></html>"
    )
    return HTMLResponse(doc, status_code=status, headers={"Content-Security-Policy": PAGE_CSP})


def _passages_html(view: dict[str, Any]) -> str:
    out = []
    for p in view["passages"]:
        where = ", ".join(x for x in (p.get("section") or "", f"p. {p['page']}" if p.get("page") else "") if x)
        label = "Geciteerde passage" if p["cited"] else ""
        head = f'<p class="m">{html.escape(" — ".join(x for x in (label, where) if x))}</p>' if label or where else ""
        cls = "p c" if p["cited"] else "p"
        anchor = ' id="passage"' if p["cited"] else ""
        out.append(f'<section class="{cls}"{anchor}>{head}{linkify(p["text"])}</section>')
    return "".join(out)


@router.get("/bron/{doc_id:path}", response_class=HTMLResponse, summary="Bron met geciteerde passage (HTML)")
def source_page(
    doc_id: str,
    _: PublicLimit,
    assistant: AssistantDep,
    chunk: Annotated[str | None, Query(max_length=300)] = None,
) -> HTMLResponse:
    try:
        # A link opened in a browser carries no API key: this page is always public.
        view = load_source(assistant, doc_id[:300], chunk, PUBLIC)
    except HTTPException as exc:
        return _page("Bron niet gevonden", f"<h1>Bron niet gevonden</h1><p>{html.escape(str(exc.detail))}</p>", 404)
    title = view.get("title") or view["doc_id"]
    meta = [f"{plural(view['chunks'], 'passage', 'passages')} in dit document"]
    if view.get("source"):
        meta.insert(0, f"Bron: {view['source']}")
    body = f'<h1>{html.escape(title)}</h1><p class="m">{linkify(" · ".join(meta))}</p>{_passages_html(view)}'
    return _page(title, body)
