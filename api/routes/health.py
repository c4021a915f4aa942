"""``GET /healthz`` (the process runs) and ``GET /readyz`` (model and index are loaded)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import StateDep
from api.errors import NOT_READY

router = APIRouter(tags=["status"])


@router.get("/healthz", summary="Draait de server?")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Zijn model en index geladen?")
def readyz(state: StateDep) -> Any:
    if state.load_error:
        detail = (
            "Kringwijs kon het model of de index niet laden. Controleer de serverlog en voer 'kringwijs ingest' uit."
        )
        return JSONResponse({"status": "error", "detail": detail}, status_code=503)
    if not state.ready.is_set():
        return JSONResponse({"status": "loading", "detail": NOT_READY}, status_code=503, headers={"Retry-After": "5"})
    status = state.assistant.status()
    return {
        "status": "ready",
        "generation": status.get("generation"),
        "documents": status.get("documents"),
        "chunks": status.get("chunks"),
    }
