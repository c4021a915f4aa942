"""``GET /api/v1/criteria`` (filtered MVI criteria as cards) and ``POST /api/v1/criteria/export``."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from api.deps import PublicLimit, StateDep
from api.schemas import ExportRequest
from knowledge.criteria_service import criteria_only, filter_criteria, group_cards, normalise_type, product_groups
from knowledge.export import DEFAULT_TITLE, export_docx, export_markdown

router = APIRouter(prefix="/api/v1/criteria", tags=["criteria"])

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("", summary="MVI-criteria met filters")
def list_criteria(
    _: PublicLimit,
    state: StateDep,
    product_group: Annotated[str | None, Query(max_length=100, description="Productgroep (slug of naam)")] = None,
    type: Annotated[str | None, Query(max_length=100, description="Type, bijv. 'minimumeis'")] = None,
    ambition: Annotated[int | None, Query(ge=1, le=3, description="Ambitieniveau 1-3")] = None,
    theme: Annotated[str | None, Query(max_length=100, description="Thema uit het Manifest MVOI")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Vrije tekst")] = None,
) -> dict[str, Any]:
    if type and normalise_type(type) is None:
        raise HTTPException(422, f"Onbekend criteriumtype '{type[:40]}'. Kies bijv. minimumeis of gunningscriterium.")
    records = state.records()
    chosen = filter_criteria(
        records, product_group=product_group, criterion_type=type, ambition=ambition, theme=theme, text=q
    )
    return {
        "count": len(chosen),
        "product_groups": [{"slug": s, "label": label, "count": n} for s, label, n in product_groups(records)],
        "groups": group_cards(chosen),
    }


@router.post(
    "/export",
    summary="Selectie exporteren als Word (docx) of Markdown",
    response_class=Response,
    responses={200: {"content": {DOCX_TYPE: {}, "text/markdown": {}}}},
)
def export(body: ExportRequest, _: PublicLimit, state: StateDep) -> Response:
    by_id = {c.id: c for c in criteria_only(state.records())}
    wanted = list(dict.fromkeys(body.ids))
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        shown = ", ".join(i[:40] for i in unknown[:5])
        raise HTTPException(404, f"Deze criteria bestaan niet: {shown}.")
    chosen = [by_id[i] for i in wanted]
    title = body.title or DEFAULT_TITLE
    if body.format == "md":
        return Response(
            export_markdown(chosen, title=title).encode(),
            media_type="text/markdown; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="mvi-criteria.md"'},
        )
    with tempfile.TemporaryDirectory(prefix="kringwijs-export-") as tmp:
        data = export_docx(chosen, Path(tmp) / "mvi-criteria.docx", title=title).read_bytes()
    return Response(
        data, media_type=DOCX_TYPE, headers={"Content-Disposition": 'attachment; filename="mvi-criteria.docx"'}
    )
