"""The hand-tuned answer step of 2026-11-28, kept as two signals the fitted models weigh.

Before the decision was fitted, a hand-weighted score chose the unit to quote and a cascade
of thresholds decided whether to refuse. Both were tuned on the hand-written dev split, where
they do well; on users' own words they do worse. Rather than throw that knowledge away or keep
it as rules, each becomes ONE signal:

- ``rule_score`` (unit model): the old hand-weighted unit score (assistant.evidence);
- ``rule_refuse`` (refusal model): 1 when the old cascade would have refused.

How much each counts is fitted like every other signal, and the trace shows it. The constants
below are the old hand weights and thresholds, frozen: nothing tunes them any more.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assistant.compose import select
from assistant.evidence import GATED_TYPES, ScoredUnit, context_of, coverage, facts_in, has_answer_type
from assistant.query import QueryAnalysis
from assistant.refusal import near_miss_checks
from assistant.scorer import Closeness

# The old refusal cascade's thresholds (were Settings.min_dense_score etc.). The old unit
# score is a unit signal of its own (assistant.evidence.rule_score).
_MIN_DENSE, _MIN_SCORE, _MIN_COVERAGE, _MIN_DENSE_UNSEEN = 0.78, 0.35, 0.34, 0.88


def rule_refuses(
    analysis: QueryAnalysis,
    hits: list[Any],
    ranked: list[ScoredUnit],
    limit: int,
    *,
    unknown: list[str],
    unseen: list[str],
    asked: list[str],
) -> bool:
    """Would the old cascade have refused? (Instructions and 'no evidence' stay hard rules.)"""
    if unknown:
        return True
    if not hits or not ranked:
        return True
    by_rule = sorted(
        (replace(s, score=s.signals.get("rule_score", s.score)) for s in ranked), key=lambda s: s.score, reverse=True
    )
    # The old shares of the best score, as they were tuned for that score.
    close = Closeness(
        swap=0.75, same=0.92, cross=0.90 if analysis.answer_type in GATED_TYPES else 0.92, listing=0.85, ratio=True
    )
    chosen = select(by_rule, analysis, limit, close)
    if not chosen:
        return True
    best = chosen[0]
    top_dense = max((h.dense or 0.0) for h in hits)
    if (top_dense < _MIN_DENSE and best.lexical < 0.75) or best.score < _MIN_SCORE:
        return True
    if analysis.must_match and facts_in(analysis.must_match, context_of(best.hit)):
        return True
    if not has_answer_type(analysis.answer_type, best.unit.text):
        return True
    if unseen and top_dense < _MIN_DENSE_UNSEEN:
        return True
    if near_miss_checks(analysis, hits, chosen, asked):
        return True
    return (
        analysis.language == "nl"
        and top_dense < _MIN_DENSE + 0.07
        and coverage(analysis, context_of(best.hit)) < _MIN_COVERAGE
    )
