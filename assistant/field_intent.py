"""Which part of a knowledge record a question asks for, read from the question's vector.

A record (a subsidy, a rule, a tender criterion) is quoted one field at a time: "Bewijsmiddel",
"Type", "Voor wie", "Bedragen" … Which field a question wants was read from listed cue words
(``assistant.evidence._FIELD_CUES``) and the question's answer type. Users' own words miss those
lists: "hoe toon je die stoffen aan", "how do I check that …", "hoe weet ik zeker dat …" all ask
for the evidence, and none says "bewijs". Here a multinomial logistic regression over the
question's e5 vector (``assistant.vector_classifier``) gives P(field | question), fitted on the
labelled training questions (``evals.fit``: the field of the unit that holds each question's
expected facts). The unit model weighs it as one signal, ``field_intent``: the probability that
the question asks for the field the candidate unit quotes.

One small matrix product per question (384 × 18).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.vector_classifier import VectorClassifier, fit_vector_classifier

# The class for a question answered by plain text (a policy sentence, a table row), not a field.
TEXT = "(tekst)"


def fit_field_intent(
    vectors: Sequence[np.ndarray], labels: Sequence[str], classes: Sequence[str], l2: float, encoder: str = ""
) -> VectorClassifier:
    # Query vectors have unit length and comparable columns: no standardising (the committed
    # model was fitted this way).
    return fit_vector_classifier(vectors, labels, classes, l2, encoder)
