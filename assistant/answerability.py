"""Does the quoted unit answer the question? Read from the two e5 vectors, fitted on labels.

The near-misses that the sources cannot answer look like answerable questions to every listed
check: "Wie heeft de 0-meting uitgevoerd?" shares its subject with a passage that says the
0-meting was done, only not by whom. What tells them apart is how the question's meaning relates
to the quoted unit's meaning, and that is learnt here rather than written as a rule: a logistic
regression (``assistant.vector_classifier``) over the product q·u and the distance |q − u| of the
question's and the quoted unit's vectors, per dimension, fitted on the labelled training
questions (answerable or not, ``evals.fit``). The refusal model weighs its log-odds as one
signal, ``vector_refuse``, beside the checks; it decides nothing on its own.

The question's own vector is left out on purpose. With it, the model also learnt which *topics*
the training questions were unanswerable about, and that is an artefact of how the labelled set
was written and split: the finance table's rows are test passages, so users/train holds many
near-misses about a year's budget ("hoeveel geld is er in 2028 …") and no answerable budget
question, and "What is the total budget in 2027?" was refused.

One product of a 768-vector with a 768 × 2 matrix per question.
"""

from __future__ import annotations

import numpy as np

from assistant.vector_classifier import VectorClassifier

ANSWERED, NOT_ANSWERED = "beantwoord", "niet beantwoord"
CLASSES = (ANSWERED, NOT_ANSWERED)


def pair_vector(query_vector: np.ndarray, unit_vector: np.ndarray) -> np.ndarray:
    q = np.asarray(query_vector, dtype=np.float64)
    u = np.asarray(unit_vector, dtype=np.float64)
    return np.concatenate([q * u, np.abs(q - u)])


def pair_log_odds(model: VectorClassifier, pair: np.ndarray) -> float:
    """log P(not answered) / P(answered) for one pair vector."""
    z = model.logits(pair)
    return float(z[model.classes.index(NOT_ANSWERED)] - z[model.classes.index(ANSWERED)])


def refuse_log_odds(model: VectorClassifier, query_vector: np.ndarray, unit_vector: np.ndarray) -> float:
    """log P(not answered) / P(answered) for this question and this quoted unit."""
    return pair_log_odds(model, pair_vector(query_vector, unit_vector))
