"""Answer accuracy, refusal precision/recall, citation support, retrieval hit@k/MRR, latency."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evals.dataset import Case, facts_matched, normalise

MAX_ANSWER_CHARS = 600


@dataclass
class CaseResult:
    case: Case
    answer: str
    refused: bool
    citations: list[dict[str, Any]]
    retrieved: list[str] = field(default_factory=list)  # texts of ranked chunks, for hit@k
    timings_ms: dict[str, float] = field(default_factory=dict)
    # Why the system refused, or (LLM mode) why it fell back to the extractive answer.
    fallback_reason: str | None = None
    mode: str = "extractive"
    # The decision trace (assistant.trace): signals, weights, threshold, outcome.
    trace: dict[str, Any] | None = None

    @property
    def correct(self) -> bool:
        if self.case.refuse:
            return self.refused
        return (
            (not self.refused)
            and len(self.answer) <= MAX_ANSWER_CHARS
            and facts_matched(self.case.expected, self.answer)
        )

    @property
    def supported(self) -> bool:
        """Every fact group is present in the passages the answer cites."""
        cited = " ".join(str(c.get("text", "")) for c in self.citations)
        return bool(self.citations) and facts_matched(self.case.expected, cited)

    @property
    def first_relevant_rank(self) -> int | None:
        if self.case.refuse or not self.case.expected:
            return None
        group = self.case.expected[0]
        for rank, text in enumerate(self.retrieved, start=1):
            hay = normalise(text)
            if any(normalise(alt) in hay for alt in group):
                return rank
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "category": self.case.category,
            "question": self.case.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": self.citations,
            "timings_ms": self.timings_ms,
            "passed": self.correct,
            "mode": self.mode,
            "fallback_reason": self.fallback_reason,
            "expected": self.case.expected,
            "refuse_expected": self.case.refuse,
            "voice": self.case.voice or None,
            "register": self.case.register or None,
            # Where the expected fact first appears among the retrieved passages (None: not in
            # the top 10): tells a wrong quote from a retrieval miss when reading failures.
            "first_relevant_rank": self.first_relevant_rank,
            "trace": self.trace,
        }


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def summarise(results: list[CaseResult]) -> dict[str, Any]:
    answerable = [r for r in results if not r.case.refuse]
    should_refuse = [r for r in results if r.case.refuse]
    refused = [r for r in results if r.refused]
    correct_answerable = [r for r in answerable if r.correct]
    ranks = [r.first_relevant_rank for r in answerable if r.retrieved]
    totals = [r.timings_ms.get("total", 0.0) for r in results if r.timings_ms]
    metrics: dict[str, Any] = {
        "cases": len(results),
        "accuracy": _ratio(sum(r.correct for r in results), len(results)),
        "answer_accuracy": _ratio(len(correct_answerable), len(answerable)),
        "refusal_precision": _ratio(sum(r.case.refuse for r in refused), len(refused)),
        "refusal_recall": _ratio(sum(r.refused for r in should_refuse), len(should_refuse)),
        "citation_support": _ratio(sum(r.supported for r in correct_answerable), len(correct_answerable)),
    }
    if ranks:
        for k in (1, 3, 5, 10):
            metrics[f"hit@{k}"] = _ratio(sum(1 for x in ranks if x is not None and x <= k), len(ranks))
        metrics["mrr"] = round(float(np.mean([1.0 / x if x else 0.0 for x in ranks])), 4)
    if totals:
        metrics["latency_p50_ms"] = round(float(np.percentile(totals, 50)), 1)
        metrics["latency_p95_ms"] = round(float(np.percentile(totals, 95)), 1)
    return metrics


def by_category(results: list[CaseResult]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[CaseResult]] = defaultdict(list)
    for r in results:
        groups[r.case.category].append(r)
    return {cat: summarise(rs) for cat, rs in sorted(groups.items())}
