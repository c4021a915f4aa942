"""``kringwijs fit``: fit the two answer-step scorers on labelled cases and report honestly.

1. Every case is run once through retrieval and unit ranking (``Assistant.evidence``); the
   signals of every candidate unit and of the question are kept, so fitting never retrieves
   again.
2. The unit model is a softmax over a question's candidate units: it learns which signals
   single out the unit that holds the expected facts.
3. The refusal model is a logistic regression on question-level signals, computed after the
   new unit model has chosen the units. Its probability threshold is chosen on the dev cases,
   and so is how close (in logit) a runner-up unit must be to be quoted with the best one.
4. Cross-validation on the training cases, in folds grouped by source passage, estimates how
   both carry over to passages never seen in fitting.

Fitting is deterministic (L-BFGS from a zero start) and takes seconds once the evidence is
collected. The result is written to ``assistant/params/decision.json``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from assistant.answerability import ANSWERED, NOT_ANSWERED, pair_log_odds, pair_vector
from assistant.answerability import CLASSES as ANSWERABLE_CLASSES
from assistant.compose import compose
from assistant.evidence import RECORD_FIELDS, UNIT_SIGNALS, field_intent_signal, record_field
from assistant.field_intent import TEXT, fit_field_intent
from assistant.refusal import REFUSE_SIGNALS
from assistant.scorer import Closeness, DecisionParams, LinearModel
from assistant.vector_classifier import VectorClassifier, fit_vector_classifier
from evals.dataset import Case, facts_matched, groups_matched
from evals.metrics import MAX_ANSWER_CHARS


@dataclass
class Sample:
    case: Case
    evidence: Any  # assistant.service.Evidence
    group: str


def group_of(case: Case) -> str:
    """The passage a case is about: cases on one passage stay in one fold. A refusal about
    nothing in particular (passage "none") is its own group, as ``evals.split`` spreads them."""
    if case.passage and case.passage != "none":
        return case.passage
    return case.source if case.source and case.source != "none" else f"case:{case.id}"


def collect(assistant: Any, cases: Sequence[Case], progress: Callable[[], None] | None = None) -> list[Sample]:
    samples = []
    for case in cases:
        ev = assistant.evidence(case.question, case.history, case.audience)
        samples.append(Sample(case, ev, group_of(case)))
        if progress:
            progress()
    return samples


# --- the unit model -----------------------------------------------------------------------


def _unit_labels(sample: Sample) -> np.ndarray | None:
    """1 for candidate units that hold the expected facts (all groups; else the most groups)."""
    case = sample.case
    if case.refuse or not sample.evidence.ranked:
        return None
    counts = np.array([groups_matched(case.expected, s.unit.text) for s in sample.evidence.ranked], dtype=float)
    if counts.max() <= 0:
        return None
    return (counts == counts.max()).astype(float)


def _matrix(rows: list[dict[str, float]], features: Sequence[str]) -> np.ndarray:
    return np.array([[float(r.get(f, 0.0)) for f in features] for r in rows], dtype=float)


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def fit_unit_model(samples: list[Sample], features: Sequence[str], l2: float) -> LinearModel:
    """Listwise softmax: maximise P(a fact-holding unit | the question's candidates)."""
    from scipy.optimize import minimize

    lists = []
    for s in samples:
        labels = _unit_labels(s)
        if labels is None or labels.all():
            continue  # no unit holds the facts, or every unit does: nothing to learn
        lists.append((_matrix([u.signals for u in s.evidence.ranked], features), labels))
    if not lists:
        raise ValueError("geen bruikbare voorbeelden voor het eenheidsmodel")
    mean, scale = _standardise(np.vstack([x for x, _ in lists]))
    lists = [((x - mean) / scale, y) for x, y in lists]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.5 * l2 * w @ w, l2 * w
        for x, y in lists:
            z = x @ w
            z = z - z.max()
            p = np.exp(z) / np.exp(z).sum()
            pos = p * y
            total -= np.log(pos.sum())
            # d/dw of -log(sum_pos p) = E_p[x] - E_{p|pos}[x]
            grad = grad + x.T @ p - x.T @ (pos / pos.sum())
        return float(total), grad

    w = minimize(loss, np.zeros(len(features)), jac=True, method="L-BFGS-B").x
    raw = w / scale
    return LinearModel(tuple(features), tuple(float(v) for v in raw), float(-(raw @ mean)))


def unit_top1(samples: list[Sample], model: LinearModel) -> float | None:
    hits = total = 0
    for s in samples:
        labels = _unit_labels(s)
        if labels is None:
            continue
        scores = [model.logit(u.signals) for u in s.evidence.ranked]
        hits += int(labels[int(np.argmax(scores))] > 0)
        total += 1
    return hits / total if total else None


# --- the refusal model --------------------------------------------------------------------


def redecide(samples: list[Sample], params: DecisionParams) -> None:
    from assistant.service import decide

    for s in samples:
        decide(s.evidence, params)


def fit_refusal_model(samples: list[Sample], features: Sequence[str], l2: float) -> LinearModel:
    from scipy.optimize import minimize

    rows = [s for s in samples if s.evidence.verdict.signals]
    x = _matrix([s.evidence.verdict.signals for s in rows], features)
    y = np.array([float(s.case.refuse) for s in rows])
    mean, scale = _standardise(x)
    xs = (x - mean) / scale
    xs = np.hstack([xs, np.ones((len(xs), 1))])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = xs @ w
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
        eps = 1e-12
        reg = 0.5 * l2 * (w[:-1] @ w[:-1])
        total = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + reg
        grad = xs.T @ (p - y)
        grad[:-1] += l2 * w[:-1]
        return float(total), grad

    w = minimize(loss, np.zeros(xs.shape[1]), jac=True, method="L-BFGS-B").x
    raw = w[:-1] / scale
    return LinearModel(tuple(features), tuple(float(v) for v in raw), float(w[-1] - raw @ mean))


def answered_right(sample: Sample) -> bool:
    """Would the composed (not refused) answer hold the expected facts?"""
    ev = sample.evidence
    if not ev.chosen:
        return False
    key = ("answered", *((c.hit.chunk_id, c.unit.index) for c in ev.chosen))
    if key not in ev.memo:
        text, _ = compose(ev.chosen, ev.analysis, ev.limit)
        ev.memo[key] = len(text) <= MAX_ANSWER_CHARS and facts_matched(sample.case.expected, text)
    return ev.memo[key]


@dataclass
class Outcome:
    accuracy: float
    answer_accuracy: float
    # Accuracy with the refusal cases weighted to REFUSAL_SHARE of the total (see there).
    weighted_accuracy: float
    refusal_precision: float | None
    refusal_recall: float | None
    cases: int

    def to_json(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def outcome(samples: list[Sample], refuse_p: list[float | None], threshold: float, right: list[bool]) -> Outcome:
    """Metrics as the eval suite counts them, for one threshold."""
    refused = [
        (p is None and bool(s.evidence.verdict.rule)) or (p is not None and p >= threshold)
        for s, p in zip(samples, refuse_p, strict=True)
    ]
    ok = [r if s.case.refuse else (not r and a) for s, r, a in zip(samples, refused, right, strict=True)]
    answerable = [i for i, s in enumerate(samples) if not s.case.refuse]
    positives = [i for i, r in enumerate(refused) if r]
    should = [i for i, s in enumerate(samples) if s.case.refuse]
    answer_ok = sum(ok[i] for i in answerable) / len(answerable) if answerable else 0.0
    refuse_ok = sum(ok[i] for i in should) / len(should) if should else 0.0
    return Outcome(
        accuracy=sum(ok) / len(ok) if ok else 0.0,
        # Cases of one kind only (a fold without refusals): that kind's accuracy.
        weighted_accuracy=(
            REFUSAL_SHARE * refuse_ok + (1 - REFUSAL_SHARE) * answer_ok
            if answerable and should
            else (answer_ok if answerable else refuse_ok)
        ),
        answer_accuracy=answer_ok,
        refusal_precision=sum(samples[i].case.refuse for i in positives) / len(positives) if positives else None,
        refusal_recall=sum(refused[i] for i in should) / len(should) if should else None,
        cases=len(samples),
    )


def _probabilities(samples: list[Sample], model: LinearModel) -> list[float | None]:
    return [model.probability(s.evidence.verdict.signals) if s.evidence.verdict.signals else None for s in samples]


# The share of questions that the sources cannot answer, as expected in real use. The labelled
# sets do not have it: the hand-written dev split has 15 % refusals, users/train and users/dev
# 31–33 % (near-misses were written on purpose). Choosing a threshold by plain accuracy on them would
# refuse as if a third of all questions were unanswerable. The blind sets described in issue #12
# have 15 of 90 and 8 of 85 (13 %); 15 % is used. Thresholds and closeness are chosen on the
# dev cases' accuracy with the refusal cases weighted to this share.
REFUSAL_SHARE = 0.15
# Thresholds whose weighted dev accuracy is within this of the best count as equally good; the
# middle one is taken, so the choice does not hang on one or two dev cases.
PLATEAU = 0.005


def choose_threshold(samples: list[Sample], model: LinearModel, right: list[bool]) -> float:
    """The middle of the thresholds with the best weighted accuracy on these cases."""
    probs = _probabilities(samples, model)
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    scores = [outcome(samples, probs, float(t), right).weighted_accuracy for t in grid]
    best = max(scores)
    best_ts = [float(t) for t, sc in zip(grid, scores, strict=True) if sc >= best - PLATEAU]
    return best_ts[len(best_ts) // 2]


# --- folds ------------------------------------------------------------------------------


def fold_of(group: str, k: int) -> int:
    return int(hashlib.sha1(group.encode()).hexdigest(), 16) % k


def passage_folds(samples: list[Sample], k: int) -> Iterator[tuple[int, list[Sample], list[Sample]]]:
    """(fold, the samples of the other folds, the fold's own samples) for each of k folds."""
    for fold in range(k):
        yield (
            fold,
            [s for s in samples if fold_of(s.group, k) != fold],
            [s for s in samples if fold_of(s.group, k) == fold],
        )


def cross_validate(
    samples: list[Sample],
    unit_features: Sequence[str],
    refuse_features: Sequence[str],
    l2: float,
    k: int = 5,
    close: Closeness = Closeness(),
) -> dict[str, Any]:
    """k folds grouped by source passage: fit on k-1, measure on the held-out passages."""
    per_fold = []
    for _, train, held in passage_folds(samples, k):
        if not train or not held:
            continue
        params = fit_params(train, unit_features, refuse_features, l2, threshold_on=train, close=close)
        redecide(held, params)
        right = [answered_right(s) for s in held]
        out = outcome(held, _probabilities(held, params.refuse), params.refuse.threshold, right)
        per_fold.append({**out.to_json(), "unit_top1": unit_top1(held, params.unit)})
    keys = ["accuracy", "weighted_accuracy", "answer_accuracy", "refusal_precision", "refusal_recall", "unit_top1"]
    mean = {
        key: round(float(np.mean([f[key] for f in per_fold if f[key] is not None])), 4)
        for key in keys
        if any(f[key] is not None for f in per_fold)
    }
    return {"folds": per_fold, "mean": mean, "k": k}


def fit_params(
    train: list[Sample],
    unit_features: Sequence[str],
    refuse_features: Sequence[str],
    l2: float,
    *,
    threshold_on: list[Sample],
    version: str = "",
    close: Closeness = Closeness(),
    unit: LinearModel | None = None,
) -> DecisionParams:
    """Fit the unit model (unless given), then the refusal model on the units it chooses,
    then the refusal threshold on ``threshold_on``."""
    unit = unit or fit_unit_model(train, unit_features, l2)
    # The refusal signals depend on which units the new unit model chooses.
    placeholder = LinearModel(tuple(refuse_features), tuple(0.0 for _ in refuse_features), 0.0, 2.0)
    redecide(train, DecisionParams(unit, placeholder, version, close))
    refuse = fit_refusal_model(train, refuse_features, l2)
    if threshold_on is not train:
        redecide(threshold_on, DecisionParams(unit, placeholder, version, close))
    right = [answered_right(s) for s in threshold_on]
    threshold = choose_threshold(threshold_on, refuse, right)
    refuse = LinearModel(refuse.features, refuse.weights, refuse.bias, threshold)
    return DecisionParams(unit, refuse, version or time.strftime("%Y-%m-%d"), close)


# Candidate closeness gaps (logit units) for quoting a runner-up; the one with the best dev
# accuracy is kept. A small grid: each value is a log-odds gap (1.5: 4.5 times less likely).
CLOSE_GRID = tuple(
    Closeness(swap, same, cross, listing)
    for swap in (0.5, 1.5, 3.0)
    for same in (0.25, 1.0, 2.5)
    for cross in (0.0, 0.5)
    for listing in (1.0, 3.0)
)


def choose_closeness(
    train: list[Sample], dev: list[Sample], unit_features: Sequence[str], refuse_features: Sequence[str], l2: float
) -> tuple[DecisionParams, list[dict[str, Any]]]:
    """Fit once per closeness on the grid (the unit model does not depend on it); keep the
    one with the best weighted dev accuracy (ties: the first on the grid)."""
    unit = fit_unit_model(train, unit_features, l2)
    tried = []
    best: tuple[float, DecisionParams] | None = None
    for close in CLOSE_GRID:
        params = fit_params(train, unit_features, refuse_features, l2, threshold_on=dev, close=close, unit=unit)
        redecide(dev, params)
        right = [answered_right(s) for s in dev]
        accuracy = outcome(dev, _probabilities(dev, params.refuse), params.refuse.threshold, right).weighted_accuracy
        tried.append({**close.to_json(), "dev_weighted_accuracy": round(accuracy, 4)})
        if best is None or accuracy > best[0] + 1e-9:
            best = (accuracy, params)
    assert best is not None
    return best[1], tried


# --- the field-intent model ---------------------------------------------------------------

# L2 strength of the field-intent regression, chosen on the choosing sets (users/dev + dev,
# weighted accuracy after a full refit with each): 0.1 -> 0.7921, 0.3 -> 0.7888, 1 -> 0.7847,
# 10 -> 0.7747 (no signal: 0.7746). Query vectors have unit length, so the weights need room.
INTENT_L2 = 0.1
INTENT_CLASSES = (*RECORD_FIELDS, TEXT)


def gold_field(sample: Sample) -> str | None:
    """The record field of the candidate unit that holds most of the expected facts (TEXT for a
    unit that is not a record field); None for a refusal or when no candidate holds them."""
    labels = _unit_labels(sample)
    if labels is None:
        return None
    best = sample.evidence.ranked[int(np.argmax(labels))]  # the first of the fact-holding units
    name = record_field(best.hit, best.unit)
    return name if name in RECORD_FIELDS else TEXT


def _intent_pairs(samples: list[Sample]) -> list[tuple[np.ndarray, str]]:
    """(query vector, the record field that answers it) for every question that has both."""
    pairs = []
    for s in samples:
        qvec, gold = s.evidence.retrieval.query_vector, gold_field(s)
        if qvec is not None and gold is not None:
            pairs.append((qvec, gold))
    return pairs


def fit_intent(samples: list[Sample], encoder: str = "") -> VectorClassifier | None:
    pairs = _intent_pairs(samples)
    if not pairs:
        return None
    return fit_field_intent([q for q, _ in pairs], [g for _, g in pairs], INTENT_CLASSES, INTENT_L2, encoder)


def apply_intent(samples: list[Sample], intent: VectorClassifier | None) -> None:
    """Recompute the ``field_intent`` unit signal of stored evidence under ``intent``."""
    for s in samples:
        qvec = s.evidence.retrieval.query_vector
        probs = intent.probabilities(qvec) if intent is not None and qvec is not None else None
        s.evidence.field_intent = probs or {}
        for u in s.evidence.ranked:
            u.signals.pop("field_intent", None)
            u.signals.update(field_intent_signal(probs, record_field(u.hit, u.unit)))
        s.evidence.scored_with = None  # the signals changed: rank again


def cross_fit_intent(samples: list[Sample], k: int = 5) -> list[dict[str, Any]]:
    """Training questions get the field probabilities of a model fitted without their passage's
    fold: fitted on themselves, the probabilities would be too sure, and the unit model would
    learn to trust them more than they deserve on new questions. Returns each fold's accuracy."""
    folds = []
    for fold, rest, held in passage_folds(samples, k):
        intent = fit_intent(rest)
        apply_intent(held, intent)
        folds.append({"fold": fold, "field_accuracy": intent_accuracy(held, intent)})
    return folds


def intent_accuracy(samples: list[Sample], intent: VectorClassifier | None) -> float | None:
    pairs = _intent_pairs(samples)
    if intent is None or not pairs:
        return None
    right = sum(max(intent.probabilities(q).items(), key=lambda kv: kv[1])[0] == g for q, g in pairs)
    return round(right / len(pairs), 4)


def fit_intent_weight(samples: list[Sample], unit: LinearModel) -> tuple[float, float, float]:
    """The one weight of ``field_intent`` with every other unit weight kept: maximum likelihood
    of the fact-holding units on the training questions. Returns (weight, NLL at 0, NLL at it)."""
    from scipy.optimize import minimize_scalar

    without = with_intent_weight(unit, 0.0)
    lists = []
    for s in samples:
        labels = _unit_labels(s)
        if labels is None or labels.all():
            continue
        base = np.array([without.logit(u.signals) for u in s.evidence.ranked])
        extra = np.array([u.signals.get("field_intent", 0.0) for u in s.evidence.ranked])
        lists.append((base, extra, labels))

    def nll(w: float) -> float:
        total = 0.0
        for base, extra, labels in lists:
            z = base + w * extra
            z = z - z.max()
            p = np.exp(z) / np.exp(z).sum()
            total -= float(np.log((p * labels).sum() + 1e-12))
        return total

    best = minimize_scalar(nll, bounds=(0.0, 20.0), method="bounded")
    return float(best.x), nll(0.0), float(best.fun)


def with_intent_weight(unit: LinearModel, weight: float) -> LinearModel:
    features = [f for f in unit.features if f != "field_intent"]
    weights = [w for f, w in zip(unit.features, unit.weights, strict=True) if f != "field_intent"]
    return LinearModel((*features, "field_intent"), (*weights, weight), unit.bias, unit.threshold)


# --- the answerability model --------------------------------------------------------------

# L2 strength of the answerability regression, on z-scored columns (both classes' weights are
# penalised, so this is a binary regression's 30,000). Chosen like every other strength, on the
# choosing sets (users/dev + dev, weighted accuracy, the refusal model refitted each time), ties
# to the stronger: binary 300 / 1,000 / 3,000 / 10,000 / 30,000 / 100,000 / 300,000 -> 0.7964 /
# 0.7948 / 0.7990 / 0.7988 / 0.8047 / 0.8044 / 0.7993; without the signal 0.7923. Grouped
# cross-validation on users/train preferred weaker ones (the refusal model's out-of-fold log loss
# 0.366 at 1,000, 0.393 at 30,000, 0.425 without), as it did for the unit model's L2 (see run_fit).
ANSWERABLE_L2 = 60000.0


def _answerable_pairs(samples: list[Sample]) -> list[tuple[np.ndarray, str]]:
    """(question and first quoted unit as one pair vector, whether the sources answer it)."""
    pairs = []
    for s in samples:
        qvec, chosen = s.evidence.retrieval.query_vector, s.evidence.chosen
        if qvec is not None and chosen:
            pairs.append((pair_vector(qvec, chosen[0].unit.vector), NOT_ANSWERED if s.case.refuse else ANSWERED))
    return pairs


def fit_answerable(samples: list[Sample], encoder: str = "") -> VectorClassifier | None:
    pairs = _answerable_pairs(samples)
    if len({label for _, label in pairs}) < 2:
        return None
    vectors, labels = [v for v, _ in pairs], [label for _, label in pairs]
    return fit_vector_classifier(vectors, labels, ANSWERABLE_CLASSES, ANSWERABLE_L2, encoder, standardise=True)


def apply_answerable(samples: list[Sample], model: VectorClassifier | None) -> None:
    """Judge stored evidence with ``model`` from its next ``redecide`` on."""
    for s in samples:
        s.evidence.answerable = model


def auc(labels: Sequence[float] | np.ndarray, scores: Sequence[float] | np.ndarray) -> float | None:
    """The chance that a random positive scores above a random negative (ties count half)."""
    y, z = np.asarray(labels, dtype=float), np.asarray(scores, dtype=float)
    pos, neg = z[y == 1], z[y == 0]
    if not len(pos) or not len(neg):
        return None
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return round(float(wins / (len(pos) * len(neg))), 4)


def cross_fit_answerable(samples: list[Sample], k: int = 5) -> list[dict[str, Any]]:
    """Like ``cross_fit_intent``: every training question is judged by a model fitted without
    its passage's fold, so the refusal model learns how far the signal holds on new passages.
    Needs the samples decided (their quoted units chosen). Returns each fold's refusal AUC."""
    folds = []
    for fold, rest, held in passage_folds(samples, k):
        model = fit_answerable(rest)
        apply_answerable(held, model)
        pairs = _answerable_pairs(held)
        scores = [pair_log_odds(model, v) for v, _ in pairs] if model is not None else []
        folds.append({"fold": fold, "refusal_auc": auc([label == NOT_ANSWERED for _, label in pairs], scores)})
    return folds


def refusal_cv(samples: list[Sample], features: Sequence[str], l2: float, k: int = 5) -> dict[str, Any]:
    """Out-of-fold log loss and AUC of the refusal model on the training questions, the unit
    model kept: how well P(refuse) ranks questions from passages it was not fitted on."""
    labels, probs = [], []
    for _, rest, held in passage_folds(samples, k):
        model = fit_refusal_model(rest, features, l2)
        for s in held:
            if s.evidence.verdict.signals:
                labels.append(float(s.case.refuse))
                probs.append(model.probability(s.evidence.verdict.signals))
    y, p = np.array(labels), np.clip(np.array(probs), 1e-6, 1 - 1e-6)
    log_loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return {"log_loss": round(log_loss, 4), "auc": auc(y, p)}


def choosing_outcome(samples: list[Sample], params: DecisionParams) -> Outcome:
    apply_answerable(samples, params.answerable)
    redecide(samples, params)
    right = [answered_right(s) for s in samples]
    return outcome(samples, _probabilities(samples, params.refuse), params.refuse.threshold, right)


def run_intent_fit(assistant: Any, train: list[Case], dev: list[Case], *, progress: Any = None) -> dict[str, Any]:
    """``kringwijs fit --field-intent``: fit the field-intent model and its one unit weight; the
    other fitted parameters stay as committed. A full refit on today's users/train put dev's
    refusal precision below its CI floor at every threshold (README, Quality); this adds the
    new signal without moving what already held."""
    committed = assistant.params
    train_s, dev_s = _collect_both(assistant, train, dev, progress)
    before = choosing_outcome(dev_s, committed)
    folds = cross_fit_intent(train_s)
    intent = fit_intent(train_s, assistant.embedder.encoder)
    apply_intent(dev_s, intent)
    weight, nll_before, nll_after = fit_intent_weight(train_s, committed.unit)
    params = replace(committed, unit=with_intent_weight(committed.unit, weight), intent=intent,
                     version=time.strftime("%Y-%m-%d"))  # fmt: skip
    after = choosing_outcome(dev_s, params)
    return {
        "params": params,
        "report": {
            **committed_report(),
            "field_intent": {
                "l2": INTENT_L2,
                "weight": round(weight, 4),
                "train_nll": {"without": round(nll_before, 1), "with": round(nll_after, 1)},
                "field_accuracy": {"cv_folds": folds, "dev": intent_accuracy(dev_s, intent)},
                "train_cases": len(train),
                "choosing_sets": {"before": before.to_json(), "after": after.to_json()},
            },
        },
    }


def run_refusal_fit(assistant: Any, train: list[Case], dev: list[Case], *, progress: Any = None) -> dict[str, Any]:
    """``kringwijs fit --refusal``: fit the answerability model and the refusal model (weights,
    L2 strength, threshold); the unit model, the closeness and the field-intent model stay as
    committed, so no quoted unit changes, only whether it is quoted at all."""
    committed = assistant.params
    train_s, dev_s = _collect_both(assistant, train, dev, progress)
    before = choosing_outcome(dev_s, committed)
    redecide(train_s, committed)
    folds = cross_fit_answerable(train_s)
    answerable = fit_answerable(train_s, assistant.embedder.encoder)
    apply_answerable(dev_s, answerable)
    redecide(train_s, committed)  # computes vector_refuse with the out-of-fold models
    redecide(dev_s, committed)
    right = [answered_right(s) for s in dev_s]
    by_l2 = {}
    for l2 in L2_GRID:
        refuse = fit_refusal_model(train_s, REFUSE_FEATURES, l2)
        refuse = replace(refuse, threshold=choose_threshold(dev_s, refuse, right))
        by_l2[l2] = (outcome(dev_s, _probabilities(dev_s, refuse), refuse.threshold, right).weighted_accuracy, refuse)
    best_l2 = max(L2_GRID, key=lambda l2: (by_l2[l2][0], l2))
    params = replace(committed, refuse=by_l2[best_l2][1], answerable=answerable, version=time.strftime("%Y-%m-%d"))
    after = choosing_outcome(dev_s, params)
    without = [f for f in REFUSE_FEATURES if f != "vector_refuse"]
    return {
        "params": params,
        "report": {
            **committed_report(),
            "refusal": {
                "l2": best_l2,
                "dev_weighted_by_l2": {str(k): round(v[0], 4) for k, v in by_l2.items()},
                "answerability": {"l2": ANSWERABLE_L2, "cv_folds": folds},
                "train_cv": {
                    "without_vector_refuse": refusal_cv(train_s, without, best_l2),
                    "with_vector_refuse": refusal_cv(train_s, REFUSE_FEATURES, best_l2),
                },
                "train_cases": len(train),
                "choosing_sets": {"before": before.to_json(), "after": after.to_json()},
            },
        },
    }


def committed_report() -> dict[str, Any]:
    """The report of the fit the other parameters come from, kept beside the new one."""
    import json

    from assistant.scorer import PARAMS

    return dict(json.loads(PARAMS.read_text(encoding="utf-8")).get("report") or {})


def _collect_both(
    assistant: Any, train: list[Case], dev: list[Case], progress: Any
) -> tuple[list[Sample], list[Sample]]:
    if progress:
        progress.start("Bewijs verzamelen", len(train) + len(dev))
    tick = progress.advance if progress else None
    assistant.reader.wait_for_vectors()  # fit on the dense path that serves
    train_s = collect(assistant, train, tick)
    dev_s = collect(assistant, dev, tick)
    if progress:
        progress.finish()
    return train_s, dev_s


# --- the command ---------------------------------------------------------------------------

# The signal names live beside the code that computes them.
UNIT_FEATURES = UNIT_SIGNALS
REFUSE_FEATURES = REFUSE_SIGNALS
L2_GRID = (0.1, 1.0, 10.0, 30.0, 100.0)


def run_fit(assistant: Any, train: list[Case], dev: list[Case], *, progress: Any = None) -> dict[str, Any]:
    """Collect, fit per L2 strength and closeness, choose both and the threshold on dev by the
    accuracy weighted to REFUSAL_SHARE; report grouped CV on train for every L2."""
    train_s, dev_s = _collect_both(assistant, train, dev, progress)
    # The field-intent signal first: the unit model is fitted on it. Out-of-fold on train.
    intent_folds = cross_fit_intent(train_s)
    intent = fit_intent(train_s, assistant.embedder.encoder)
    apply_intent(dev_s, intent)
    # Then the answerability signal the refusal model weighs, on the units the committed unit
    # model quotes (a refit moves few of them), also out-of-fold on train.
    answerable_folds = cross_fit_answerable(train_s)
    answerable = fit_answerable(train_s, assistant.embedder.encoder)
    apply_answerable(dev_s, answerable)
    cv = {l2: cross_validate(train_s, UNIT_FEATURES, REFUSE_FEATURES, l2) for l2 in L2_GRID}
    # The L2 strength is chosen on dev with the closeness and the threshold, like every other
    # choice. Cross-validation by passage on train preferred the weakest (0.1) while dev, written
    # in other words by other hands, preferred 10: users' phrasing is further from the training
    # questions than one training passage is from another. Ties go to the stronger L2.
    by_l2 = {l2: choose_closeness(train_s, dev_s, UNIT_FEATURES, REFUSE_FEATURES, l2) for l2 in L2_GRID}
    dev_score = {l2: max(t["dev_weighted_accuracy"] for t in by_l2[l2][1]) for l2 in L2_GRID}
    best_l2 = max(L2_GRID, key=lambda l2: (dev_score[l2], l2))
    params, tried = by_l2[best_l2]
    params = replace(params, intent=intent, answerable=answerable)
    # The reported cross-validation of the chosen L2 is that of the final choice (L2 and
    # closeness); the other L2 values' figures, which chose it, are under the default closeness.
    cv[best_l2] = cross_validate(train_s, UNIT_FEATURES, REFUSE_FEATURES, best_l2, close=params.close)
    redecide(dev_s, params)
    dev_right = [answered_right(s) for s in dev_s]
    dev_out = outcome(dev_s, _probabilities(dev_s, params.refuse), params.refuse.threshold, dev_right)
    return {
        "params": params,
        "report": {
            "l2": best_l2,
            "dev_weighted_by_l2": {str(k): round(v, 4) for k, v in dev_score.items()},
            "refusal_share": REFUSAL_SHARE,
            "close": params.close.to_json(),
            "close_tried": tried,
            "cv": {str(k): v["mean"] for k, v in cv.items()},
            "cv_folds": cv[best_l2]["folds"],
            "dev": {**dev_out.to_json(), "unit_top1": unit_top1(dev_s, params.unit)},
            "train_cases": len(train),
            "dev_cases": len(dev),
            "train_passages": len({s.group for s in train_s}),
            "field_intent": {
                "l2": INTENT_L2,
                "field_accuracy": {"cv_folds": intent_folds, "dev": intent_accuracy(dev_s, intent)},
            },
            "answerability": {"l2": ANSWERABLE_L2, "cv_folds": answerable_folds},
        },
    }


DEFAULT_TRAIN = ("users/train",)
DEFAULT_DEV = ("users/dev", "dev")


def write_params(result: dict[str, Any], path: Any = None) -> Any:
    """Commit-ready parameter file: the two models plus the figures they were chosen on."""
    import json

    from assistant.scorer import PARAMS, VECTOR_MODELS

    target = path or PARAMS
    target.parent.mkdir(parents=True, exist_ok=True)
    params = result["params"]
    # The vector models' weights go beside it, in files named after it (decision.field_intent.json).
    files = {}
    for attr, (key, _) in VECTOR_MODELS.items():
        model = getattr(params, attr)
        if model is not None:
            files[attr] = f"{target.stem}.{key}.json"
            (target.parent / files[attr]).write_text(model.to_json(), encoding="utf-8")
    data = params.to_json({"report": result["report"]}, files=files)
    target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    from pathlib import Path

    from assistant.service import Assistant
    from evals.dataset import DATASETS, load_cases
    from kringwijs.settings import get_settings

    parser = argparse.ArgumentParser(prog="kringwijs fit")
    parser.add_argument("--train", nargs="+", default=[str(DATASETS / d) for d in DEFAULT_TRAIN])
    parser.add_argument("--dev", nargs="+", default=[str(DATASETS / d) for d in DEFAULT_DEV])
    parser.add_argument("--out", type=Path, default=None)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--field-intent", action="store_true")
    only.add_argument("--refusal", action="store_true")
    args = parser.parse_args(argv)
    train = load_cases([Path(p) for p in args.train])
    dev = load_cases([Path(p) for p in args.dev])
    fit = run_intent_fit if args.field_intent else run_refusal_fit if args.refusal else run_fit
    result = fit(Assistant(get_settings()), train, dev)
    path = write_params(result, args.out)
    print(json.dumps(result["report"], indent=1, ensure_ascii=False))  # noqa: T201
    print(f"parameters geschreven naar {path}")  # noqa: T201
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
