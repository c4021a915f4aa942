"""The audience probe on a real mixed-audience index: a word that only an internal document
uses must not change what an anonymous caller is told (issue #14, item 5).

``IndexReader.vocabulary(audience)`` gives each audience the words of the documents it may
see. The call site in ``assistant/service.py`` (the unknown-word refusal) switches to it
separately; until then the end-to-end probe below is an expected failure (strict: it turns
into a failure the moment the switch lands, so the marker gets removed).
"""

from __future__ import annotations

from api_support import INTERNAL_KEY, SECRET_QUESTION, SECRET_WORD
from fastapi.testclient import TestClient

from assistant.index import IndexReader

MADE_UP = "Kwartelkoning"  # a word no document uses, of the same shape as the secret one


def test_public_vocabulary_holds_no_internal_words(secret_home) -> None:
    reader = IndexReader(secret_home.settings)
    public, internal = reader.vocabulary("public"), reader.vocabulary("internal")
    # The whole index (what the refusal used) knows the internal-only word: that is the leak.
    assert reader.bm25.knows(SECRET_WORD)
    assert internal.knows(SECRET_WORD) and not public.knows(SECRET_WORD)
    assert not public.knows(MADE_UP) and not internal.knows(MADE_UP)
    # Public words stay known to both; the public vocabulary is a strict subset.
    for word in ("circulaire", "Ooievaar", "grondstoffen"):
        assert public.knows(word) and internal.knows(word)
    assert 0 < len(public) < len(internal)


def test_anonymous_answer_does_not_reveal_an_internal_word(secret_client: TestClient) -> None:
    def ask(question: str, **headers: str) -> dict:
        r = secret_client.post("/api/v1/ask", json={"question": question}, headers=headers)
        assert r.status_code == 200, r.text
        return r.json()

    secret = ask(SECRET_QUESTION)
    made_up = ask(SECRET_QUESTION.replace(SECRET_WORD, MADE_UP))
    assert secret["refused"] and made_up["refused"]
    # Same kind of refusal, word for word apart from the word itself.
    assert secret["answer"].replace(SECRET_WORD, MADE_UP).split(".")[0] == made_up["answer"].split(".")[0]
    # Staff with a key still get the internal answer.
    staff = ask(SECRET_QUESTION, Authorization=f"Bearer {INTERNAL_KEY}")
    assert not staff["refused"]
