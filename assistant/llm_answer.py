"""Generative answers (``mode="llm"``), grounded in the evidence and verified in code.

The extractive answer is computed first: it decides refusal (a refused question never
reaches the model) and it is the fallback. The model sees only the top evidence
passages, numbered ``[1]..[n]``; what it writes is streamed, then checked by
:mod:`assistant.llm_verify`. If the check fails, the extractive answer replaces it.

Events (``assistant.schema``), in order::

    TokenEvent        # zero or more, as the model writes
    ReplaceEvent      # only when the streamed text is NOT the answer:
                      # the client must discard what it showed and show this
    CitationsEvent, CriteriaEvent (when there are cards), FinalEvent   # Answer.answer is the text to keep

No unverified figure is in the final answer: every number, amount, percentage, year and
named organisation in ``final`` either passed verification against the passages it cites,
or the whole text is the extractive answer (``fallback_reason`` says why).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from typing import Protocol

from assistant.evidence import ScoredUnit
from assistant.llm_backends import ChatBackend, LLMUnavailable
from assistant.llm_prompt import Passage, build_messages, build_passages
from assistant.llm_verify import is_model_refusal, verify
from assistant.query import QueryAnalysis
from assistant.schema import Answer, AnswerEvent, Citation, ReplaceEvent, TokenEvent
from assistant.stream import closing, pieces
from kringwijs.types import Mode

log = logging.getLogger(__name__)

# A sentence end: terminal punctuation not inside a number ("2.500.000"), plus trailing markers.
_COMPLETE = re.compile(r"[.!?](?!\d)(?:\s*\[[^\]]*\])*|\]")


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)


class EvidenceView(Protocol):
    """What the LLM answer reads from ``assistant.service.Evidence``."""

    ranked: list[ScoredUnit]
    chosen: list[ScoredUnit]
    analysis: QueryAnalysis


def _complete_sentences(text: str) -> str:
    """Drop a sentence cut off by the token limit (it could end mid-figure)."""
    ends = [m.end() for m in _COMPLETE.finditer(text)]
    if not ends or ends[-1] == len(text):
        return text
    return text[: ends[-1]].rstrip()


def _citation(p: Passage) -> Citation:
    meta = p.hit.meta
    return Citation(
        n=p.n,
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        page=int(meta["page"]) if meta.get("page") else None,
        text=p.hit.text,
        score=round(p.score, 4),
        chunk_id=p.hit.chunk_id,
        kind=str(meta.get("kind", "text")),
        notice=str(meta["status_notice"]) if meta.get("status_notice") else None,
        checked=str(meta["checked"]) if meta.get("checked") else None,
    )


def stream_llm_answer(
    evidence: EvidenceView,
    extractive: Answer,
    backend: Callable[[], ChatBackend],
    *,
    max_tokens: int,
    started: float,
) -> Iterator[AnswerEvent]:
    """Stream a verified LLM answer (see the module docstring for the event contract).

    ``extractive`` is the answer built from the same ``evidence``; ``backend`` gives the chat
    model (it may raise ``LLMUnavailable``); ``started`` is when the question came in.
    ``timings_ms`` holds the extractive step's timings plus ``first_token`` (from the call
    to the first emitted token), ``generation``, ``verify`` and ``total``.
    """
    timings = {**extractive.timings_ms, "extractive": _ms(started)}

    def finish(text: str, citations: list[Citation], reason: str | None, fell_back: bool) -> Iterator[AnswerEvent]:
        timings["total"] = _ms(started)
        update: dict[str, object] = {"mode": Mode.LLM, "timings_ms": timings}
        if fell_back:
            update["fallback_reason"] = reason
        else:
            update.update(answer=text, citations=citations, fallback_reason=None)
        return closing(extractive.model_copy(update=update))

    if extractive.refused:
        # Refusal is decided in code, never by the model: no evidence, no generation.
        for i, piece in enumerate(pieces(extractive.answer)):
            if i == 0:
                timings["first_token"] = _ms(started)
            yield TokenEvent(piece)
        yield from finish("", [], extractive.fallback_reason, fell_back=True)
        return

    t = time.perf_counter()
    passages = build_passages(evidence.ranked, evidence.chosen, years=evidence.analysis.years)
    messages = build_messages(extractive.standalone_query, passages, extractive.language)
    timings["prompt"] = _ms(t)
    streamed: list[str] = []
    reason: str | None = None if passages else "geen bewijspassages voor het taalmodel"
    t = time.perf_counter()
    if passages:
        try:
            for piece in backend().stream_chat(messages, max_tokens=max_tokens):
                if not streamed:
                    timings["first_token"] = _ms(started)
                streamed.append(piece)
                yield TokenEvent(piece)
        except LLMUnavailable as exc:
            reason = f"taalmodel niet beschikbaar: {exc}"
        except Exception as exc:  # a crashed generation must not cost the user the answer
            log.exception("LLM-generatie mislukt")
            reason = f"taalmodel gaf een fout: {type(exc).__name__}"
    timings["generation"] = _ms(t)

    t = time.perf_counter()
    raw = "".join(streamed).strip()
    # Streams send about one token per piece: this many pieces means the token limit cut it.
    truncated = len(streamed) >= max_tokens - 1
    text = _complete_sentences(raw) if truncated else raw
    verification = None
    if reason is None:
        if not text:
            reason = "taalmodel gaf geen antwoord"
        elif is_model_refusal(text):
            # The gate found evidence; the model did not use it. Quote the evidence instead.
            reason = "taalmodel vond het antwoord niet in de bronnen"
        else:
            verification = verify(text, [p.text for p in passages], evidence.analysis.years)
            reason = verification.reason
    timings["verify"] = _ms(t)

    if reason is not None or verification is None:
        log.info("LLM-antwoord vervangen door het extractieve antwoord: %s", reason)
        timings.setdefault("first_token", _ms(started))
        yield ReplaceEvent(extractive.answer)
        yield from finish("", [], reason, fell_back=True)
        return

    citations = [_citation(p) for p in passages if p.n in verification.cited]
    notices = list(dict.fromkeys(c.notice for c in citations if c.notice))
    final = text + ("\n" + " ".join(notices) if notices else "")
    if text != raw:
        yield ReplaceEvent(final)
    elif notices:
        # Status notices (e.g. a closed subsidy) come from the records, not the model.
        yield TokenEvent("\n" + " ".join(notices))
    yield from finish(final, citations, None, fell_back=False)
