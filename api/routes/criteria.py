"""``GET /api/v1/criteria`` (filtered MVI criteria as cards) and ``POST /api/v1/criteria/export``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from api.deps import PublicLimit, StateDep
from api.schemas import ExportRequest
from knowledge.criteria_service import (
    UnknownCriteria,
    export_bytes,
    filter_criteria,
    group_cards,
    normalise_type,
    product_groups,
    select_by_id,
    type_names,
)

router = APIRouter(prefix="/api/v1/criteria", tags=["criteria"])

TYPE_NAMES = type_names()
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("", summary="MVI-criteria met filters")
def list_criteria(
    _: PublicLimit,
    state: StateDep,
    product_group: Annotated[str | None, Query(max_length=100, description="Productgroep (slug of naam)")] = None,
    type: Annotated[
        str | None,
        # The published spellings; the server also accepts them in any case or with accents.
        Query(max_length=100, description="Type, bijv. 'minimumeis'", json_schema_extra={"enum": TYPE_NAMES}),
    ] = None,
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
    try:
        chosen = select_by_id(state.records(), body.ids)
    except UnknownCriteria as exc:
        raise HTTPException(404, str(exc)) from exc
    data = export_bytes(chosen, body.format, body.title)
    media = "text/markdown; charset=utf-8" if body.format == "md" else DOCX_TYPE
    disposition = f'attachment; filename="mvi-criteria.{body.format}"'
    return Response(data, media_type=media, headers={"Content-Disposition": disposition})
