"""An internal document never reaches a public caller: not in answers, citations, search or sources.

The index holds the bundled knowledge plus ``interne-notitie.md`` (``audience: internal``)
with a unique secret sentence; see ``secret_home`` in conftest.
"""

from __future__ import annotations

import pytest
from api_support import INTERNAL_KEY, SECRET_AMOUNT, SECRET_QUESTION, SECRET_SENTENCE, SECRET_WORD, parse_sse
from fastapi.testclient import TestClient

INTERNAL_DOC_ID = "interne-notitie-reserveringen"
AUTH = {"Authorization": f"Bearer {INTERNAL_KEY}"}
# Parts of the internal document a public response may never contain. (The question
# itself names the project, and answers echo the question, so the name is not listed.)
SECRETS = (SECRET_AMOUNT, "987654", "blijft tot 2027 geheim", "intern besproken", INTERNAL_DOC_ID, "Interne notitie")
PROBES = [
    SECRET_QUESTION,
    f"Wat weet je over {SECRET_WORD}?",
    SECRET_WORD,
    "Wat is de vertrouwelijke reservering?",
    "Welke interne notities zijn er over reserveringen?",
    "Wat wordt er in het programmateam besproken?",
]


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"internal content leaked: {secret!r}"


def internal_chunk(client: TestClient) -> str:
    hits = client.get("/api/v1/search", params={"q": SECRET_SENTENCE, "k": 3}, headers=AUTH).json()["results"]
    return next(h["chunk_id"] for h in hits if h["doc_id"] == INTERNAL_DOC_ID)


def test_internal_caller_sees_the_internal_document(secret_client: TestClient) -> None:
    answer = secret_client.post("/api/v1/ask", json={"question": SECRET_QUESTION}, headers=AUTH).json()
    assert not answer["refused"] and SECRET_AMOUNT in answer["answer"]
    assert answer["citations"][0]["doc_id"] == INTERNAL_DOC_ID
    hits = secret_client.get("/api/v1/search", params={"q": SECRET_WORD}, headers=AUTH).json()["results"]
    assert hits[0]["doc_id"] == INTERNAL_DOC_ID
    view = secret_client.get(f"/api/v1/sources/{INTERNAL_DOC_ID}", headers=AUTH)
    assert view.status_code == 200 and SECRET_SENTENCE in view.text


@pytest.mark.parametrize("question", PROBES)
def test_public_answers_and_citations_never_contain_it(secret_client: TestClient, question: str) -> None:
    r = secret_client.post("/api/v1/ask", json={"question": question})
    assert r.status_code == 200
    assert_no_secret(r.text)
    assert all(c["doc_id"] != INTERNAL_DOC_ID for c in r.json()["citations"])
    stream = secret_client.post("/api/v1/ask/stream", json={"question": question})
    assert_no_secret(stream.text)
    names = [name for name, _ in parse_sse(stream.text)]
    assert names[-1] == "done"


@pytest.mark.parametrize("query", [SECRET_WORD, SECRET_SENTENCE, "vertrouwelijke reservering programmateam"])
def test_public_search_never_returns_it(secret_client: TestClient, query: str) -> None:
    for mode in ("hybrid", "dense", "bm25"):
        r = secret_client.get("/api/v1/search", params={"q": query, "k": 50, "mode": mode})
        assert r.status_code == 200
        assert all(hit["doc_id"] != INTERNAL_DOC_ID for hit in r.json()["results"])
        body = r.text.replace(query, "")  # the query is echoed; the document must not be
        assert_no_secret(body)


def test_public_sources_and_pages_never_show_it(secret_client: TestClient) -> None:
    chunk = internal_chunk(secret_client)
    for params in ({}, {"chunk": chunk}):
        r = secret_client.get(f"/api/v1/sources/{INTERNAL_DOC_ID}", params=params)
        assert r.status_code == 404
        assert r.json()["detail"] == "Deze bron bestaat niet of is niet openbaar."
        # The passage page is public even when a key is sent: it is opened from links.
        page = secret_client.get(f"/bron/{INTERNAL_DOC_ID}", params=params, headers=AUTH)
        assert page.status_code == 404
        assert_no_secret(page.text)
    # A public document's passage view does not spill into the internal one.
    public = secret_client.get("/api/v1/search", params={"q": "budget VTH 2026", "k": 1}).json()["results"][0]
    view = secret_client.get(f"/api/v1/sources/{public['doc_id']}", params={"chunk": chunk})
    assert view.status_code == 404


def test_unknown_and_hidden_sources_look_the_same(secret_client: TestClient) -> None:
    hidden = secret_client.get(f"/api/v1/sources/{INTERNAL_DOC_ID}")
    unknown = secret_client.get("/api/v1/sources/bestaat-echt-niet")
    assert (hidden.status_code, hidden.json()) == (unknown.status_code, unknown.json())
