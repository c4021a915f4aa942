"""Which part of a knowledge record a question asks for, read from the question's vector.

A record (a subsidy, a rule, a tender criterion) is quoted one field at a time: "Bewijsmiddel",
"Type", "Voor wie", "Bedragen" … Which field a question wants was read from listed cue words
(``assistant.evidence._FIELD_CUES``) and the question's answer type. Users' own words miss those
lists: "hoe toon je die stoffen aan", "how do I check that …", "hoe weet ik zeker dat …" all ask
for the evidence, and none says "bewijs". Here a multinomial logistic regression over the
question's e5 vector gives P(field | question), fitted on the labelled training questions
(``evals.fit``: the field of the unit that holds each question's expected facts). The unit model
weighs it as one signal, ``field_intent``: the probability that the question asks for the field
the candidate unit quotes.

Deterministic, and one small matrix product per question (384 × 18).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# The class for a question answered by plain text (a policy sentence, a table row), not a field.
TEXT = "(tekst)"


@dataclass(frozen=True)
class FieldIntent:
    classes: tuple[str, ...]
    weights: np.ndarray  # (dimensions, classes)
    bias: np.ndarray  # (classes,)
    # The encoder whose query vectors it was fitted on: another encoder's vectors mean nothing to it.
    encoder: str = ""

    def probabilities(self, qvec: np.ndarray) -> dict[str, float]:
        z = np.asarray(qvec, dtype=np.float64) @ self.weights + self.bias
        z = np.exp(z - z.max())
        p = z / z.sum()
        return dict(zip(self.classes, (float(v) for v in p), strict=True))

    def to_json(self) -> str:
        # One row per line: a refit shows up as a readable diff, not one 100 kB line.
        head = {"classes": list(self.classes), "encoder": self.encoder, "bias": [round(float(b), 6) for b in self.bias]}
        rows = ",\n".join(json.dumps([round(float(v), 6) for v in row]) for row in self.weights)
        return json.dumps(head, ensure_ascii=False)[:-1] + ',\n"weights": [\n' + rows + "\n]}\n"

    @classmethod
    def from_json(cls, text: str) -> FieldIntent:
        data = json.loads(text)
        return cls(
            tuple(data["classes"]),
            np.array(data["weights"], dtype=np.float64),
            np.array(data["bias"], dtype=np.float64),
            str(data.get("encoder", "")),
        )


def fit_field_intent(
    vectors: Sequence[np.ndarray], labels: Sequence[str], classes: Sequence[str], l2: float, encoder: str = ""
) -> FieldIntent:
    """Maximum likelihood with an L2 penalty on the weights (not the bias), L-BFGS from zero:
    the same data give the same model."""
    from scipy.optimize import minimize

    x = np.array(vectors, dtype=np.float64)
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
    return FieldIntent(tuple(classes), w[:-1], w[-1], encoder)


def load_field_intent(path: Path) -> FieldIntent | None:
    """None when no model was fitted: the signal is then absent (weighs nothing)."""
    try:
        return FieldIntent.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
