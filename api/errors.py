"""Dutch error messages and the handlers that keep stack traces and paths out of responses."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.input_check import NO_CONTENT

log = logging.getLogger("kringwijs.api")

INTERNAL_ERROR = "Er ging iets mis bij Kringwijs. Probeer het later opnieuw."
NOT_READY = "Kringwijs is nog aan het opstarten. Probeer het over een halve minuut opnieuw."
INDEX_MISSING = (
    "De kennisbank van Kringwijs is nu niet beschikbaar. Probeer het later opnieuw "
    "(beheerders: controleer de serverlog en voer 'kringwijs ingest' uit)."
)
BAD_BODY = "De inhoud van het verzoek kon niet worden gelezen: stuur geldige JSON in UTF-8, niet te diep genest."
BAD_REQUEST = "Het verzoek is ongeldig."
TOO_MANY = "U stelt te veel vragen in korte tijd. Wacht een minuut en probeer het dan opnieuw."
TOO_LARGE = "Het verzoek is te groot. Stel een kortere vraag."
BAD_KEY = "De API-sleutel is onbekend. Laat de sleutel weg voor openbare vragen."
QUESTION_LENGTH = "Stel een vraag van 1 tot 1000 tekens."
NOT_FOUND = "Deze pagina of dit adres bestaat niet."
METHOD = "Deze methode is hier niet toegestaan."

_STATUS_TEXT = {400: BAD_BODY, 404: NOT_FOUND, 405: METHOD, 413: TOO_LARGE, 429: TOO_MANY, 503: NOT_READY}
# What FastAPI/Starlette say in English when they cannot read a body (invalid UTF-8 or JSON,
# JSON nested deeper than the parser's recursion limit).
_FRAMEWORK_DETAILS = {"There was an error parsing the body"}

# Field-specific messages first, then messages per pydantic error type.
_FIELD_MESSAGES = {
    ("question", "string_too_short"): QUESTION_LENGTH,
    ("question", "string_too_long"): QUESTION_LENGTH,
    ("question", "missing"): "Vul een vraag in.",
    ("question", "no_content"): NO_CONTENT,
    ("q", "string_too_short"): "Vul een zoekterm in van 1 tot 1000 tekens.",  # only /search has a minimum
    ("q", "no_content"): "Vul een zoekterm in met woorden of cijfers.",
    ("q", "missing"): "Vul een zoekterm in (parameter q).",
    ("rating", "literal_error"): "Geef als beoordeling 'up' of 'down'.",
    ("format", "literal_error"): "Kies als formaat 'docx' of 'md'.",
    ("role", "string_pattern_mismatch"): "Een rol in de gespreksgeschiedenis is 'user' of 'assistant'.",
}
_TYPE_MESSAGES = {
    "missing": "Dit veld ontbreekt.",
    "string_too_short": "Deze tekst is te kort.",
    "string_too_long": "Deze tekst is te lang.",
    "string_type": "Dit moet tekst zijn.",
    "string_unicode": "Deze tekst bevat ongeldige tekens.",
    "string_pattern_mismatch": "Deze waarde heeft niet de juiste vorm.",
    "int_parsing": "Dit moet een geheel getal zijn.",
    "int_type": "Dit moet een geheel getal zijn.",
    "greater_than_equal": "Deze waarde is te klein.",
    "less_than_equal": "Deze waarde is te groot.",
    "literal_error": "Deze waarde is niet toegestaan.",
    "enum": "Deze waarde is niet toegestaan.",  # Mode and Audience are enums (kringwijs.types)
    "too_short": "Deze lijst is te kort.",
    "too_long": "Deze lijst is te lang.",
    "list_type": "Dit moet een lijst zijn.",
    "dict_type": "Dit moet een object zijn.",
    "model_type": "Dit moet een object zijn.",
    "json_invalid": "De JSON in het verzoek is ongeldig.",
    "json_type": "Het verzoek moet JSON zijn.",
    "extra_forbidden": "Dit veld is onbekend.",
    "bool_parsing": "Dit moet waar of onwaar zijn.",
}


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "verzoek"


def dutch_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Pydantic errors as ``{"field", "message"}`` in Dutch, without echoing the input."""
    out = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        kind = str(err.get("type", ""))
        last = str(loc[-1]) if loc else ""
        message = _FIELD_MESSAGES.get((last, kind)) or _TYPE_MESSAGES.get(kind) or "Deze waarde is ongeldig."
        if kind == "string_too_long" and last == "q":  # the limit differs per route: say the real one
            message = f"Vul een zoekterm in van hoogstens {err.get('ctx', {}).get('max_length', '?')} tekens."
        out.append({"field": _field(loc), "message": message})
    return out


def error_response(status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status, headers=headers)


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = dutch_errors(list(exc.errors()))
    detail = (
        errors[0]["message"]
        if len(errors) == 1
        else "Het verzoek bevat fouten: " + " ".join(f"{e['field']}: {e['message']}" for e in errors)
    )
    return error_response(422, detail, errors=errors)


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    # Our own raises carry a Dutch detail; framework raises carry the English phrase.
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if not detail or detail == _english_default(exc.status_code) or detail in _FRAMEWORK_DETAILS:
        fallback = INTERNAL_ERROR if exc.status_code >= 500 else "Het verzoek is ongeldig."
        detail = _STATUS_TEXT.get(exc.status_code, fallback)
    return error_response(exc.status_code, detail, headers=getattr(exc, "headers", None))


def _english_default(status: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(status).phrase


async def _index_missing(request: Request, exc: Exception) -> JSONResponse:
    return error_response(503, INDEX_MISSING, headers={"Retry-After": "30"})


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.exception("Onverwachte fout bij %s %s", request.method, request.url.path)
    return error_response(500, INTERNAL_ERROR)


def install(app: FastAPI) -> None:
    """Register the Dutch handlers for 422, HTTP errors and anything unexpected."""
    # Starlette types handlers as taking any Exception; these take the subclass they are registered for.
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    from assistant.index import IndexMissingError

    app.add_exception_handler(IndexMissingError, _index_missing)
    app.add_exception_handler(Exception, _unhandled)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these statuses, all with the one error body (api.schemas.ErrorBody)."""
    from api.schemas import ErrorBody

    described = {
        400: "Onleesbaar verzoek (geen geldige JSON of UTF-8)",
        401: "Onbekende API-sleutel",
        403: "Niet toegestaan voor deze gebruiker of website",
        404: "Niet gevonden",
        413: "Verzoek te groot",
        422: "Ongeldige invoer (per veld in 'errors')",
        429: "Te veel verzoeken; zie Retry-After",
        503: "Nog aan het opstarten of kennisbank niet beschikbaar; zie Retry-After",
    }
    return {s: {"model": ErrorBody, "description": described[s]} for s in statuses}
