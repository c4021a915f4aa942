"""Search, sources, criteria, feedback, health, docs and the widget pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.question_log import QuestionLog

VTH_DOC = "uitvoeringsagenda-cs-2025-2027"


def test_health_ready_and_docs(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready" and ready.json()["chunks"] > 0
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/ask",
        "/api/v1/ask/stream",
        "/api/v1/search",
        "/api/v1/sources/{doc_id}",
        "/api/v1/criteria",
        "/api/v1/criteria/export",
        "/api/v1/feedback",
        "/healthz",
        "/readyz",
    ):
        assert path in paths, path


def test_search(client: TestClient) -> None:
    r = client.get("/api/v1/search", params={"q": "budget VTH 2026", "k": 3})
    assert r.status_code == 200
    data = r.json()
    assert data["k"] == 3 and len(data["results"]) == 3
    first = data["results"][0]
    assert first["rank"] == 1 and first["doc_id"] and first["chunk_id"] and first["text"]
    assert any("VTH" in hit["text"] for hit in data["results"])
    for params, message in (
        ({}, "Vul een zoekterm in (parameter q)."),
        ({"q": ""}, "Vul een zoekterm in van 1 tot 1000 tekens."),
        ({"q": "  "}, "Vul een zoekterm in van 1 tot 1000 tekens."),
        ({"q": "x", "k": 0}, "Deze waarde is te klein."),
        ({"q": "x", "k": "veel"}, "Dit moet een geheel getal zijn."),
    ):
        bad = client.get("/api/v1/search", params=params)
        assert bad.status_code == 422 and bad.json()["detail"] == message, params


def test_source_passage_view(client: TestClient) -> None:
    answer = client.post("/api/v1/ask", json={"question": "Hoeveel geld gaat er in 2026 naar VTH?"}).json()
    cite = answer["citations"][0]
    r = client.get(f"/api/v1/sources/{cite['doc_id']}", params={"chunk": cite["chunk_id"]})
    assert r.status_code == 200
    view = r.json()
    assert view["doc_id"] == VTH_DOC and view["title"] and view["chunks"] > 5
    cited = [p for p in view["passages"] if p["cited"]]
    assert len(cited) == 1 and cited[0]["chunk_id"] == cite["chunk_id"]
    assert "400.000" in cited[0]["text"]
    assert 1 < len(view["passages"]) <= 5  # the passage with its neighbours, not the whole document
    assert not (view["source"] or "").startswith("/")
    whole = client.get(f"/api/v1/sources/{VTH_DOC}").json()
    assert len(whole["passages"]) == whole["chunks"]


def test_unknown_sources_are_404_in_dutch(client: TestClient) -> None:
    for url, params in (
        ("/api/v1/sources/bestaat-niet", {}),
        (f"/api/v1/sources/{VTH_DOC}", {"chunk": "bestaat-niet"}),
        ("/api/v1/sources/../../etc/passwd", {}),
    ):
        r = client.get(url, params=params)
        assert r.status_code == 404, url
        assert r.json()["detail"] in (
            "Deze bron bestaat niet of is niet openbaar.",
            "Deze pagina of dit adres bestaat niet.",
        )


def test_source_page_escapes_and_marks_the_passage(client: TestClient) -> None:
    cite = client.get("/api/v1/search", params={"q": "budget VTH 2026", "k": 1}).json()["results"][0]
    r = client.get(f"/bron/{cite['doc_id']}", params={"chunk": cite["chunk_id"]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert 'id="passage"' in r.text and "Geciteerde passage" in r.text
    missing = client.get("/bron/bestaat-niet")
    assert missing.status_code == 404 and "Bron niet gevonden" in missing.text


def test_criteria_filters(client: TestClient) -> None:
    everything = client.get("/api/v1/criteria").json()
    assert everything["count"] > 20
    slugs = {g["slug"] for g in everything["product_groups"]}
    assert {"catering", "ict-hardware"} <= slugs
    catering = client.get("/api/v1/criteria", params={"product_group": "catering"}).json()
    cards = [card for group in catering["groups"] for card in group["cards"]]
    assert catering["count"] == len(cards) > 0
    assert all(card["product_group"] == "catering" for card in cards)
    narrow = client.get(
        "/api/v1/criteria", params={"product_group": "catering", "type": "minimumeisen", "ambition": 1}
    ).json()
    assert narrow["count"] <= catering["count"]
    assert all(g["criterion_type"] == "minimumeis" and g["ambition"] == 1 for g in narrow["groups"])
    theme = client.get("/api/v1/criteria", params={"theme": "klimaat"}).json()
    assert all(any("Klimaat" in t for t in c["themes"]) for g in theme["groups"] for c in g["cards"])
    text = client.get("/api/v1/criteria", params={"q": "laptop"}).json()
    assert text["count"] >= 1
    assert client.get("/api/v1/criteria", params={"type": "wens"}).status_code == 422
    assert client.get("/api/v1/criteria", params={"ambition": 5}).json()["detail"] == "Deze waarde is te groot."


def test_criteria_export(client: TestClient) -> None:
    groups = client.get("/api/v1/criteria", params={"product_group": "catering"}).json()["groups"]
    ids = [card["id"] for group in groups for card in group["cards"]][:3]
    md = client.post("/api/v1/criteria/export", json={"ids": ids, "format": "md", "title": "Kantine 2026"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "attachment" in md.headers["content-disposition"]
    assert md.text.startswith("# Kantine 2026") and all(i in md.text for i in ids)
    docx = client.post("/api/v1/criteria/export", json={"ids": ids})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert docx.headers["content-disposition"].endswith('filename="mvi-criteria.docx"')
    unknown = client.post("/api/v1/criteria/export", json={"ids": ["bestaat-niet"], "format": "md"})
    assert unknown.status_code == 404 and "bestaat-niet" in unknown.json()["detail"]
    bad = client.post("/api/v1/criteria/export", json={"ids": ids, "format": "pdf"})
    assert bad.status_code == 422 and bad.json()["detail"] == "Kies als formaat 'docx' of 'md'."
    assert client.post("/api/v1/criteria/export", json={"ids": []}).status_code == 422


def test_feedback_lands_in_the_question_log(client: TestClient, question_log: QuestionLog) -> None:
    answer = client.post("/api/v1/ask", json={"question": "Wat is de hoofdstad van Frankrijk?"}).json()
    r = client.post("/api/v1/feedback", json={"answer_id": answer["answer_id"], "rating": "down", "comment": "Mis"})
    assert r.status_code == 200 and r.json()["recorded"] is True
    row = question_log.get(answer["answer_id"])
    assert (row.rating, row.comment) == (-1, "Mis")
    assert any(answer["question"] in gap.examples for gap in question_log.gaps())
    up = client.post("/api/v1/feedback", json={"answer_id": answer["answer_id"], "rating": "up"})
    assert up.status_code == 200 and question_log.get(answer["answer_id"]).rating == 1
    unknown = client.post("/api/v1/feedback", json={"answer_id": "0" * 32, "rating": "up"})
    assert unknown.status_code == 404 and "onbekend" in unknown.json()["detail"]
    bad = client.post("/api/v1/feedback", json={"answer_id": answer["answer_id"], "rating": "meh"})
    assert bad.status_code == 422 and bad.json()["detail"] == "Geef als beoordeling 'up' of 'down'."


def test_widget_script_and_demo_page(client: TestClient) -> None:
    js = client.get("/widget.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "attachShadow" in js.text and "/api/v1/ask/stream" in js.text
    assert "innerHTML" in js.text and js.text.count("innerHTML") == 1  # only the static template
    assert len(js.content) < 40_000
    page = client.get("/")
    assert page.status_code == 200 and 'lang="nl"' in page.text
    assert "Demonstratie" in page.text
    assert 'src="http://testserver/widget.js" data-kringwijs-url="http://testserver"' in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self' covers it


def test_unknown_routes_are_dutch(client: TestClient) -> None:
    assert client.get("/bestaat-niet").json() == {"detail": "Deze pagina of dit adres bestaat niet."}
    assert client.put("/api/v1/ask").json() == {"detail": "Deze methode is hier niet toegestaan."}
