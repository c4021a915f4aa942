"""``GET /healthz`` (the process runs) and ``GET /readyz`` (model and index are loaded)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import StateDep
from api.errors import INDEX_MISSING, NOT_READY

router = APIRouter(tags=["status"])


class NotReady(BaseModel):
    status: str
    detail: str


@router.get("/healthz", summary="Draait de server?")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Zijn model en index geladen?", responses={503: {"model": NotReady}})
def readyz(state: StateDep) -> Any:
    if state.load_error:
        state.retry_failed_load()  # recovers by itself once the index is there
        detail = (
            "Kringwijs kon het model of de index niet laden. Controleer de serverlog en voer 'kringwijs ingest' uit."
        )
        return JSONResponse({"status": "error", "detail": detail}, status_code=503, headers={"Retry-After": "10"})
    if not state.ready.is_set():
        return JSONResponse({"status": "loading", "detail": NOT_READY}, status_code=503, headers={"Retry-After": "5"})
    if not state.index_available():  # the live generation was removed under a running server
        return JSONResponse(
            {"status": "error", "detail": INDEX_MISSING}, status_code=503, headers={"Retry-After": "10"}
        )
    status = state.assistant.status()
    return {
        "status": "ready",
        "generation": status.get("generation"),
        "documents": status.get("documents"),
        "chunks": status.get("chunks"),
    }
