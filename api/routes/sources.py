"""``GET /api/v1/sources/{doc_id}``: a document and the passage around a cited chunk."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from api.deps import AssistantDep, AudienceDep, PublicLimit

router = APIRouter(prefix="/api/v1", tags=["bronnen"])

# Same message for "unknown" and "not for you", so the answer reveals nothing.
SOURCE_NOT_FOUND = "Deze bron bestaat niet of is niet openbaar."
_LOCAL_PATH = re.compile(r"^(?:/|~|\\\\|[A-Za-z]:[\\/])")


def public_source_label(source: str | None) -> str | None:
    """A web address or description stays; a local file path shrinks to its file name."""
    if not source:
        return None
    if _LOCAL_PATH.match(source):
        return PurePath(source.replace("\\", "/")).name
    return source


def load_source(assistant: Any, doc_id: str, chunk: str | None, audience: str) -> dict[str, Any]:
    """The source view for ``doc_id`` (and ``chunk``), or a Dutch 404."""
    result = assistant.source(doc_id, chunk or None, audience=audience)
    if result is None:
        raise HTTPException(404, SOURCE_NOT_FOUND)
    return {**result, "source": public_source_label(result.get("source"))}


@router.get("/sources/{doc_id:path}", summary="Een bron met de passage van een citaat")
def source(
    doc_id: str,
    _: PublicLimit,
    audience: AudienceDep,
    assistant: AssistantDep,
    chunk: Annotated[str | None, Query(max_length=300, description="chunk_id van het citaat")] = None,
) -> dict[str, Any]:
    if len(doc_id) > 300:
        raise HTTPException(404, SOURCE_NOT_FOUND)
    return load_source(assistant, doc_id, chunk, audience)
