"""A logistic regression over e5 vectors: the one shape of the answer step's fitted vector models.

Two models read vectors rather than listed words: which record field a question asks for
(``assistant.field_intent``) and whether a quoted unit answers the question at all
(``assistant.answerability``). Both are a softmax over a few classes, fitted by maximum
likelihood with an L2 penalty, and stored as JSON beside ``decision.json``.

Deterministic (L-BFGS from zero), and one small matrix product per question.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class VectorClassifier:
    classes: tuple[str, ...]
    weights: np.ndarray  # (dimensions, classes)
    bias: np.ndarray  # (classes,)
    # The encoder whose vectors it was fitted on: another encoder's vectors mean nothing to it.
    encoder: str = ""

    def logits(self, vector: np.ndarray) -> np.ndarray:
        return np.asarray(vector, dtype=np.float64) @ self.weights + self.bias

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        z = self.logits(vector)
        z = np.exp(z - z.max())
        p = z / z.sum()
        return dict(zip(self.classes, (float(v) for v in p), strict=True))

    def to_json(self) -> str:
        # One row per line: a refit shows up as a readable diff, not one 100 kB line.
        head = {"classes": list(self.classes), "encoder": self.encoder, "bias": [round(float(b), 6) for b in self.bias]}
        rows = ",\n".join(json.dumps([round(float(v), 6) for v in row]) for row in self.weights)
        return json.dumps(head, ensure_ascii=False)[:-1] + ',\n"weights": [\n' + rows + "\n]}\n"

    @classmethod
    def from_json(cls, text: str) -> VectorClassifier:
        data = json.loads(text)
        return cls(
            tuple(data["classes"]),
            np.array(data["weights"], dtype=np.float64),
            np.array(data["bias"], dtype=np.float64),
            str(data.get("encoder", "")),
        )


def fit_vector_classifier(
    vectors: Sequence[np.ndarray],
    labels: Sequence[str],
    classes: Sequence[str],
    l2: float,
    encoder: str = "",
    *,
    standardise: bool = False,
) -> VectorClassifier:
    """Maximum likelihood with an L2 penalty on the weights (not the bias), L-BFGS from zero:
    the same data give the same model. ``standardise`` penalises the weights of z-scored
    columns, for inputs whose columns differ in scale (products and differences of vectors);
    the stored weights are then folded back onto the raw columns."""
    from scipy.optimize import minimize

    x = np.array(vectors, dtype=np.float64)
    mean, scale = np.zeros(x.shape[1]), np.ones(x.shape[1])
    if standardise:
        mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
        x = (x - mean) / scale
    y = np.array([list(classes).index(label) for label in labels])
    k, d = len(classes), x.shape[1]
    onehot = np.eye(k)[y]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        w = w.reshape(d + 1, k)
        z = x @ w[:-1] + w[-1]
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        total = -np.sum(np.log(p[np.arange(len(y)), y] + 1e-12)) + 0.5 * l2 * np.sum(w[:-1] ** 2)
        grad = np.vstack([x.T @ (p - onehot) + l2 * w[:-1], (p - onehot).sum(axis=0)])
        return float(total), grad.ravel()

    w = minimize(loss, np.zeros((d + 1) * k), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    w = w.reshape(d + 1, k)
    weights = w[:-1] / scale[:, None]
    return VectorClassifier(tuple(classes), weights, w[-1] - mean @ weights, encoder)


def load_vector_classifier(path: Path) -> VectorClassifier | None:
    """None when no model was fitted: its signal is then absent (weighs nothing)."""
    try:
        return VectorClassifier.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
