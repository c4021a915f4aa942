"""The one entry point for every interface (CLI, API, TUI, evals).

Usage::

    assistant = Assistant(get_settings())
    answer = assistant.ask("Hoeveel geld gaat er in 2026 naar VTH?")
    print(answer.answer, answer.citations[0].section)
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.answerability import refuse_log_odds
from assistant.compose import EN_PREFIX, compose, select
from assistant.conversation import standalone_query
from assistant.evidence import ScoredUnit, rank_units, rescore
from assistant.glossary import to_dutch
from assistant.index import IndexReader
from assistant.procurement import criteria_for, lead_with, matching_ids, no_match_text
from assistant.query import QueryAnalysis, analyse, detect_language
from assistant.referral import referral_text, routes_for
from assistant.refusal import Verdict, judge, refusal_text
from assistant.retriever import HybridRetriever, Mode, Retrieval
from assistant.rule_prior import rule_refuses
from assistant.schema import Answer, AnswerEvent, Citation
from assistant.scope import asked_thing, off_task, unseen_share, unseen_words
from assistant.scorer import DecisionParams, LinearModel, cached_params
from assistant.spelling import correct as correct_spelling
from assistant.stream import answer_events, final_answer
from assistant.text import content_stems
from assistant.trace import decision_trace
from assistant.vector_classifier import VectorClassifier
from knowledge.records import contact_routes
from kringwijs.settings import Settings
from kringwijs.types import Mode as AnswerMode

log = logging.getLogger(__name__)

_EVIDENCE_CHUNKS = 8


@dataclass
class Scope:
    """What is decided on the question alone (assistant.scope), before the evidence is weighed."""

    off_task: str = ""
    unknown: list[str] = field(default_factory=list)
    unseen: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    # Would the hand-tuned cascade of 2026-11-28 have refused? (a signal; assistant.rule_prior)
    rule_refuse: bool = False
    # The share of the question's words the sources never use (Dutch questions).
    unseen_share: float = 0.0


@dataclass
class Evidence:
    """What one question's answer is built from (see ``Assistant.evidence``)."""

    question: str
    query: str
    analysis: QueryAnalysis
    retrieval: Retrieval
    ranked: list[ScoredUnit]
    chosen: list[ScoredUnit]
    verdict: Verdict
    limit: int
    criteria: list[Any]
    summary: str | None
    started: float
    ranking_started: float
    scope: Scope = field(default_factory=Scope)
    # Misspelt words of the question and what they were read as ("subsidei" -> "subsidie").
    spelling: list[tuple[str, str]] = field(default_factory=list)
    # Checks of the quoted units per choice of units (assistant.refusal.refusal_signals).
    memo: dict = field(default_factory=dict)
    # The unit model ``ranked`` is ordered by: a second pass with the same model is skipped.
    scored_with: LinearModel | None = None
    # P(record field | question) behind the unit signal ``field_intent`` (empty without a model).
    field_intent: dict[str, float] = field(default_factory=dict)
    # The model behind the refusal signal ``vector_refuse`` (assistant.answerability). Kept per
    # question so that evals.fit can judge each training question with a model fitted without it.
    answerable: VectorClassifier | None = None


def decide(ev: Evidence, params: DecisionParams) -> Evidence:
    """Choose the units to quote and whether to answer at all, with the fitted models.

    Split from retrieval so that ``evals.fit`` can re-decide stored evidence under new weights
    without retrieving again."""
    if ev.scored_with is not params.unit:
        ev.ranked = rescore(ev.ranked, params.unit)
        ev.scored_with = params.unit
    ev.chosen = select(ev.ranked, ev.analysis, ev.limit, params.close)
    qvec = ev.retrieval.query_vector
    vector_refuse = (
        refuse_log_odds(ev.answerable, qvec, ev.chosen[0].unit.vector)
        if ev.answerable is not None and qvec is not None and ev.chosen
        else None
    )
    ev.verdict = judge(
        ev.analysis, ev.retrieval.hits, ev.ranked, ev.chosen, params.refuse,
        off_task=ev.scope.off_task, unknown=ev.scope.unknown, unseen=ev.scope.unseen, asked=ev.scope.asked,
        criteria=bool(ev.criteria), rule_refuse=ev.scope.rule_refuse, unseen_share=ev.scope.unseen_share, memo=ev.memo,
        vector_refuse=vector_refuse,
    )  # fmt: skip
    return ev


class Assistant:
    """Retrieval + extractive answering (+ optional LLM answering) over the live index."""

    def __init__(self, settings: Settings, embedder: Any = None, *, memory_copy: bool = True) -> None:
        """``memory_copy=False`` for one question and out (``kringwijs ask``): no in-memory copy
        of the index's vectors (assistant.vector_cache) is made; Chroma answers."""
        from ingest.embedder import Embedder

        self.settings = settings
        self.embedder = embedder or Embedder(settings)
        self.embedder.preload()  # loads while the index opens
        self.reader = IndexReader(settings, memory_copy=memory_copy)
        self.retriever = HybridRetriever(self.reader, self.embedder, settings)
        self.params, switched_off = cached_params().for_encoder(self.embedder.encoder)
        for key in switched_off:
            log.warning(
                "%s is gefit op de vectoren van een andere encoder dan %s: uitgeschakeld (voer kringwijs fit uit)",
                key,
                self.embedder.encoder,
            )
        # Where a refusal points users instead (sourced contact-route records).
        self.routes = contact_routes(settings.knowledge_dir)
        self._llm: Any = None  # the chat backend, made on the first LLM question

    def warm_up(self, queries: Sequence[str] = ()) -> None:
        """Load now what the first question of a kind would otherwise wait for.

        The spelling check's word list (0.3 s, on the first question with a word the sources do
        not use) and the criteria records (on the first procurement question); ``queries`` are
        searched to warm the encoder, Chroma and BM25. Without this, a fresh process answered
        its first misspelt question in 340 ms and its first procurement question in 490 ms
        (74 ms once the records parsed with libyaml, see ``knowledge.yaml_lines``)."""
        from assistant.spelling import dutch_words
        from knowledge.records import cached_records

        for query in queries:
            self.search(query, k=1)
        dutch_words()
        cached_records(self.settings.knowledge_dir)

    # --- questions ---------------------------------------------------------
    def ask(
        self,
        question: str,
        history: Sequence[dict] | None = None,
        *,
        audience: str = "public",
        mode: str | None = None,
    ) -> Answer:
        mode = mode or self.settings.mode
        if mode == "llm":
            answer = final_answer(self.stream(question, history, audience=audience, mode="llm"))
            assert answer is not None  # the LLM answerer always ends with a FinalEvent
            return answer
        return self._extractive(question, history, audience)

    def _extractive(self, question: str, history: Sequence[dict] | None, audience: str) -> Answer:
        return self.answer(self.evidence(question, history, audience))

    def evidence(self, question: str, history: Sequence[dict] | None, audience: str) -> Evidence:
        """Everything an answer is built from: the standalone query, its analysis, the
        retrieved passages, the ranked and chosen units and the refusal verdict. The
        extractive and the LLM answer share it, so the LLM path never retrieves again."""
        started = time.perf_counter()
        self.reader.refresh_if_changed()
        standalone = standalone_query(question, history)
        analysis = analyse(standalone)
        # Only the words of documents this audience may see: otherwise an anonymous question could
        # probe which words internal documents use.
        vocab = self.reader.vocabulary(audience) if self.reader.bm25 is not None else None
        query = standalone
        spelling: list[tuple[str, str]] = []
        if vocab is not None and analysis.language == "nl":
            query, spelling = correct_spelling(standalone, vocab)
            if spelling:
                analysis = analyse(query)
        lexical_query = to_dutch(query) if analysis.language == "en" else None
        if lexical_query:
            analysis.stems = content_stems(lexical_query)
        dutch_vocab = vocab if vocab is not None and analysis.language == "nl" else None
        unknown, unseen = unseen_words(query, dutch_vocab) if dutch_vocab is not None else ([], [])
        # What the question asks about ("medewerkers"), when the corpus knows that word at
        # all: the evidence must then mention it (unknown words are judged by unseen_words).
        asked = (
            [w for w in asked_thing(query, analysis.language) if analysis.language == "en" or vocab.knows(w)]
            if vocab is not None
            else []
        )
        retrieval = self.retriever.retrieve(query, audience=audience, lexical_query=lexical_query)
        t = time.perf_counter()
        evidence_hits = retrieval.hits[:_EVIDENCE_CHUNKS]
        units = self.retriever.units(evidence_hits)
        qvec, intent_model = retrieval.query_vector, self.params.intent
        intent = intent_model.probabilities(qvec) if intent_model is not None and qvec is not None else None
        ranked = rank_units(analysis, retrieval.query_vector, evidence_hits, units, self.params.unit, intent)
        limit = (
            self.settings.max_list_answer_chars
            if analysis.answer_type in {"list", "why", "how"}
            else self.settings.max_answer_chars
        )
        if analysis.language == "en":
            limit -= len(EN_PREFIX)
        criteria, summary = criteria_for(
            query, latest=question if standalone != question else "", knowledge_dir=self.settings.knowledge_dir
        )
        if summary:
            limit -= len(summary) + 1  # the cards' one-line summary shares the answer's length budget
        ev = Evidence(
            question, query, analysis, retrieval, ranked, [], Verdict(True), limit, criteria, summary, started, t,
            scope=Scope(
                off_task(query), unknown, unseen, asked,
                rule_refuses(analysis, retrieval.hits, ranked, limit, unknown=unknown, unseen=unseen, asked=asked),
                unseen_share(query, dutch_vocab) if dutch_vocab is not None else 0.0,
            ),
            spelling=spelling,
            scored_with=self.params.unit,
            field_intent=intent or {},
            answerable=self.params.answerable,
        )  # fmt: skip
        return decide(ev, self.params)

    def answer(self, ev: Evidence) -> Answer:
        """The extractive answer: quoted evidence with citations, or an honest refusal."""
        criteria = ev.criteria
        citations: list[Citation]
        if ev.verdict.refuse and (not criteria or ev.verdict.off_task):
            routes = [] if ev.verdict.off_task else routes_for(ev.query, self.routes)
            referral = referral_text(routes, ev.analysis.language)
            text, citations = refusal_text(ev.analysis, ev.retrieval.hits, ev.verdict, referral=referral), []
            criteria = []
        elif ev.verdict.refuse:
            # A procurement need no criterion addresses: say so, then offer the product group.
            text, citations = no_match_text(criteria), []
        else:
            text, citations = compose(ev.chosen, ev.analysis, ev.limit)
            criteria = lead_with(criteria, matching_ids(ev.retrieval.hits[:_EVIDENCE_CHUNKS], criteria))
            if ev.summary:
                text = f"{text}\n{ev.summary}"
        timings = dict(ev.retrieval.timings_ms)
        timings["answer"] = (time.perf_counter() - ev.ranking_started) * 1000
        timings["total"] = (time.perf_counter() - ev.started) * 1000
        return Answer(
            question=ev.question,
            answer=text,
            refused=ev.verdict.refuse,
            criteria=criteria,
            citations=citations,
            timings_ms={k: round(v, 2) for k, v in timings.items()},
            answer_id=uuid.uuid4().hex,
            language=ev.analysis.language,
            mode=AnswerMode.EXTRACTIVE,
            standalone_query=ev.query,
            fallback_reason=ev.verdict.reason or None,
            trace=decision_trace(ev, self.params),
        )

    def stream(
        self,
        question: str,
        history: Sequence[dict] | None = None,
        *,
        audience: str = "public",
        mode: str | None = None,
    ) -> Iterator[AnswerEvent]:
        """Typed events (``assistant.schema``): text tokens, citations, criteria cards, the answer."""
        mode = mode or self.settings.mode
        if mode == "llm":
            from assistant.llm_answer import stream_llm_answer

            started = time.perf_counter()
            ev = self.evidence(question, history, audience)
            yield from stream_llm_answer(
                ev, self.answer(ev), self._llm_backend, max_tokens=self.settings.llm_max_tokens, started=started
            )
            return
        yield from answer_events(self._extractive(question, history, audience))

    def _llm_backend(self) -> Any:
        # Created once per Assistant, on the first LLM question; the model is cached per process.
        if self._llm is None:
            from assistant.llm_backends import get_backend

            self._llm = get_backend(self.settings)
        return self._llm

    # --- search and sources -------------------------------------------------
    def search(
        self, query: str, k: int = 10, *, audience: str = "public", mode: Mode = "hybrid"
    ) -> list[dict[str, Any]]:
        self.reader.refresh_if_changed()
        # An English query is searched like an English question: glossary words for BM25.
        lexical_query = to_dutch(query) if detect_language(query) == "en" else None
        retrieval = self.retriever.retrieve(query, k=k, audience=audience, mode=mode, lexical_query=lexical_query)
        return [
            {
                "rank": i + 1,
                "chunk_id": h.chunk_id,
                "doc_id": h.meta.get("doc_id"),
                "title": h.meta.get("title"),
                "section": h.meta.get("section"),
                "page": h.meta.get("page") or None,
                "kind": h.meta.get("kind"),
                "score": round(h.score, 5),
                "dense": None if h.dense is None else round(h.dense, 4),
                "bm25": None if h.bm25 is None else round(h.bm25, 3),
                "text": h.text,
            }
            for i, h in enumerate(retrieval.hits)
        ]

    def source(
        self, doc_id: str, chunk_id: str | None = None, *, audience: str = "public", context: int = 2
    ) -> dict | None:
        """A document and a passage view of one chunk with its neighbours, for citation links."""
        self.reader.refresh_if_changed()
        rows = sorted(self.reader.document(doc_id, audience), key=lambda r: int(r[2].get("ordinal", 0)))
        if not rows:
            return None
        index = next((i for i, r in enumerate(rows) if r[0] == chunk_id), None) if chunk_id else None
        if chunk_id and index is None:
            return None
        first = rows[0][2]
        lo, hi = (index - context, index + context + 1) if index is not None else (0, len(rows))
        passages = [
            {
                "chunk_id": cid,
                "section": meta.get("section"),
                "page": meta.get("page") or None,
                "text": doc,
                "cited": cid == chunk_id,
            }
            for cid, doc, meta in rows[max(0, lo) : hi]
        ]
        return {
            "doc_id": doc_id,
            "title": first.get("title"),
            "source": first.get("source"),
            "doc_type": first.get("doc_type"),
            "chunks": len(rows),
            "passages": passages,
        }

    def status(self) -> dict[str, Any]:
        self.reader.refresh_if_changed()
        manifest = self.reader.manifest
        files = manifest.get("files", {})
        return {
            "generation": manifest.get("generation"),
            "built_at": manifest.get("built_at"),
            "model": manifest.get("model"),
            "documents": sum(len(f.get("doc_ids", [])) for f in files.values()),
            "files": len(files),
            "chunks": manifest.get("chunks", 0),
            "sentences": manifest.get("sentences", 0),
            "failed": manifest.get("failed", {}),
            "per_file": {
                k: {"chunks": v.get("chunks", 0), "documents": len(v.get("doc_ids", []))} for k, v in files.items()
            },
        }
