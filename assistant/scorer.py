"""Fitted linear scorers for the two choices of the answer step.

- ``unit``: which sentence, record field or table row to quote. A softmax over the candidate
  units of one question, fitted on labelled cases (``kringwijs fit``).
- ``refuse``: answer or refuse. A logistic regression over question-level signals, with the
  probability threshold chosen on the dev split.

Both are a weighted sum of named signals, so every decision can show each signal's value, its
weight and its contribution (``assistant.trace``). The parameters live in
``assistant/params/decision.json``; only ``evals.fit`` writes that file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from assistant.vector_classifier import VectorClassifier, load_vector_classifier

PARAMS = Path(__file__).parent / "params" / "decision.json"


class ParamsError(RuntimeError):
    """The fitted parameters are missing or do not match the signals the code computes."""


@dataclass(frozen=True)
class Contribution:
    name: str
    value: float
    weight: float

    @property
    def amount(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class LinearModel:
    """``logit = bias + sum(weight[f] * x[f])`` over raw (unstandardised) signal values."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5

    def logit(self, x: Mapping[str, float]) -> float:
        # Summed over the signals present (a unit has ~30 of the 232): 0 adds nothing.
        weight = self._weight_of
        # A list, not a generator: this runs for every candidate unit of every question.
        return self.bias + sum([weight[f] * v for f, v in x.items() if f in weight])

    @cached_property
    def _weight_of(self) -> dict[str, float]:
        return dict(zip(self.features, self.weights, strict=True))

    def probability(self, x: Mapping[str, float]) -> float:
        z = self.logit(x)
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def contributions(self, x: Mapping[str, float]) -> list[Contribution]:
        """Every signal with its weight, largest effect first."""
        out = [Contribution(f, float(x.get(f, 0.0)), w) for f, w in zip(self.features, self.weights, strict=True)]
        return sorted(out, key=lambda c: abs(c.amount), reverse=True)

    def top_contributions(self, x: Mapping[str, float], k: int) -> list[Contribution]:
        """The ``k`` signals of ``x`` with the largest effect. Only the signals ``x`` holds are
        ranked: a unit has ~30 of the unit model's 232, and an absent one contributes nothing."""
        weight = self._weight_of
        out = [Contribution(f, float(v), weight[f]) for f, v in x.items() if f in weight]
        return sorted(out, key=lambda c: abs(c.amount), reverse=True)[:k]

    def to_json(self) -> dict:
        return {
            "features": list(self.features),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 6),
        }

    @classmethod
    def from_json(cls, data: Mapping) -> LinearModel:
        return cls(
            features=tuple(data["features"]),
            weights=tuple(float(w) for w in data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data.get("threshold", 0.5)),
        )


@dataclass(frozen=True)
class Closeness:
    """When a runner-up unit is close enough to the best one to be quoted with it
    (``assistant.compose.select``): ``swap`` for taking a unit that holds the asked kind of
    answer instead of the best, ``same`` / ``cross`` for a second unit of the same / another
    passage, ``listing`` for list, why and how questions. Each is a largest gap in the unit
    model's logit, chosen on the dev cases by ``evals.fit``: a logit gap means the same
    odds ratio whatever the question, where a share of the score did not.

    ``ratio`` is for the old hand-tuned score (roughly 0–1; ``assistant.rule_prior``): there
    each value is the share of the best score a runner-up needs."""

    swap: float = 1.5
    same: float = 1.0
    cross: float = 0.5
    listing: float = 3.0
    ratio: bool = False

    def within(self, best: float, cand: float, kind: str) -> bool:
        limit = float(getattr(self, kind))
        return cand >= best * limit if self.ratio else best - cand <= limit

    def to_json(self) -> dict:
        data: dict = {"swap": self.swap, "same": self.same, "cross": self.cross, "listing": self.listing}
        return {**data, "ratio": True} if self.ratio else data

    @classmethod
    def from_json(cls, data: Mapping | None) -> Closeness:
        data = data or {}
        default = cls()
        value = {k: float(data.get(k, getattr(default, k))) for k in ("swap", "same", "cross", "listing")}
        return cls(value["swap"], value["same"], value["cross"], value["listing"], bool(data.get("ratio", False)))


# The fitted vector models beside decision.json: its key, and what a missing file is called.
VECTOR_MODELS = {
    "intent": ("field_intent", "Het veldmodel"),
    "answerable": ("answerability", "Het beantwoordbaarheidsmodel"),
}


@dataclass(frozen=True)
class DecisionParams:
    unit: LinearModel
    refuse: LinearModel
    version: str
    close: Closeness = Closeness()
    # P(record field | question), behind the unit signal ``field_intent`` (assistant.field_intent).
    intent: VectorClassifier | None = None
    # Does the quoted unit answer the question, behind the refusal signal ``vector_refuse``
    # (assistant.answerability).
    answerable: VectorClassifier | None = None

    def to_json(self, extra: Mapping | None = None, files: Mapping[str, str] | None = None) -> dict:
        """``files``: the file each vector model was written to, by attribute name."""
        return {
            "version": self.version,
            "unit": self.unit.to_json(),
            "refuse": self.refuse.to_json(),
            "close": self.close.to_json(),
            **{VECTOR_MODELS[attr][0]: name for attr, name in (files or {}).items()},
            **(extra or {}),
        }

    def for_encoder(self, encoder: str) -> tuple[DecisionParams, list[str]]:
        """These parameters without the vector models fitted on another encoder's vectors
        (their outputs would be noise), and the keys of those switched off."""
        off = [
            attr
            for attr in VECTOR_MODELS
            if (model := getattr(self, attr)) is not None and model.encoder and model.encoder != encoder
        ]
        none: dict[str, Any] = {attr: None for attr in off}
        return (replace(self, **none) if off else self), [VECTOR_MODELS[a][0] for a in off]


def load_params(path: Path = PARAMS) -> DecisionParams:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ParamsError(f"De gefitte parameters ontbreken ({path}). Voer uit: kringwijs fit") from exc
    # The vector models' weights (384 x 18, 768 x 2) live in their own files, named here.
    vector_models: dict[str, VectorClassifier | None] = {}
    for attr, (key, label) in VECTOR_MODELS.items():
        name = data.get(key)
        vector_models[attr] = load_vector_classifier(path.parent / name) if name else None
        if name and vector_models[attr] is None:
            raise ParamsError(f"{label} {path.parent / name} ontbreekt. Voer uit: kringwijs fit")
    return DecisionParams(
        unit=LinearModel.from_json(data["unit"]),
        refuse=LinearModel.from_json(data["refuse"]),
        version=str(data.get("version", "")),
        close=Closeness.from_json(data.get("close")),
        **vector_models,
    )


@lru_cache(maxsize=4)
def cached_params(path: str = str(PARAMS)) -> DecisionParams:
    return load_params(Path(path))
