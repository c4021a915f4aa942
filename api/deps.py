"""Shared route dependencies as ``Annotated`` aliases.

Usage in a route::

    def search(assistant: AssistantDep, audience: AudienceDep, _: PublicLimit) -> dict: ...

They are ``async def`` although none of them awaits: FastAPI runs a sync dependency in its
thread pool, one hop per dependency and request (four for ``ask``, besides the endpoint's own),
while these only read memory and two small files (``AppState.index_available``). On the event
loop they cost microseconds. Anything slower belongs in the endpoint, not here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from api.errors import BAD_KEY, INDEX_MISSING, NOT_READY, TOO_MANY
from api.security import PUBLIC, audience_for
from api.state import AppState
from assistant.question_log import QuestionLog
from kringwijs.settings import Settings


async def get_state(request: Request) -> AppState:
    return request.app.state.kringwijs


async def get_settings(state: Annotated[AppState, Depends(get_state)]) -> Settings:
    return state.settings


async def get_assistant(state: Annotated[AppState, Depends(get_state)]) -> Any:
    """The loaded assistant; 503 while loading, after a failed load, or when the live index is gone."""
    retry = {"Retry-After": "30"}
    if state.ready.is_set() and state.assistant is not None:
        if not state.index_available():
            raise HTTPException(503, INDEX_MISSING, headers=retry)
        return state.assistant
    if state.load_error:
        state.retry_failed_load()
        raise HTTPException(503, INDEX_MISSING, headers=retry)
    raise HTTPException(503, NOT_READY, headers=retry)


async def get_audience(request: Request, state: Annotated[AppState, Depends(get_state)]) -> str:
    """``public`` for anonymous callers, ``internal`` for a configured bearer key; 401 otherwise."""
    audience = audience_for(request.headers.get("authorization"), state.settings)
    if audience is None:
        raise HTTPException(401, BAD_KEY, headers={"WWW-Authenticate": "Bearer"})
    return audience


async def rate_limit_public(
    request: Request,
    state: Annotated[AppState, Depends(get_state)],
    audience: Annotated[str, Depends(get_audience)],
) -> None:
    """Per-client limit for anonymous callers; holders of an API key are not limited."""
    if audience != PUBLIC:
        return
    client = request.client.host if request.client else "onbekend"
    retry = state.limiter.check(client)
    if retry is not None:
        raise HTTPException(429, TOO_MANY, headers={"Retry-After": str(int(retry))})


async def get_question_log(state: Annotated[AppState, Depends(get_state)]) -> QuestionLog:
    return state.question_log


StateDep = Annotated[AppState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AssistantDep = Annotated[Any, Depends(get_assistant)]
AudienceDep = Annotated[str, Depends(get_audience)]
PublicLimit = Annotated[None, Depends(rate_limit_public)]
QuestionLogDep = Annotated[QuestionLog, Depends(get_question_log)]
