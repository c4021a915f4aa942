"""Gold questions (evals/datasets/pdf) on the PDFs the tests lay out: a running header and
footer with a bordered table, two columns, a cover and contents with page labels, and an
AES-256 encrypted copy with hyphenated compounds, indexed alone (no bundled knowledge)."""

from __future__ import annotations

from pathlib import Path

import pdf_samples

from evals.dataset import DATASETS
from evals.runner import evaluate
from ingest.pipeline import run_ingest
from kringwijs.settings import Settings


def test_pdf_gold_set(fresh_home: Settings, embedder, tmp_path: Path) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    pdf_samples.report_pdf(folder / "nota-grondstoffen.pdf")
    pdf_samples.two_column_pdf(folder / "kolommen.pdf")
    pdf_samples.labelled_pdf(folder / "jaarverslag.pdf")
    pdf_samples.encrypted_copy(pdf_samples.hyphenated_pdf(tmp_path / "afbreking.pdf"), folder / "afbreking.pdf")
    fresh_home.knowledge_dir.mkdir(parents=True)
    ingest = run_ingest(fresh_home, [folder], bundled=False, embedder=embedder)
    assert ingest.ok and len(ingest.added) == 4, ingest.failed

    from assistant.service import Assistant

    report = evaluate(fresh_home, [DATASETS / "pdf"], assistant=Assistant(fresh_home, embedder=embedder))
    failed = [(c["id"], c["answer"]) for c in report["cases"] if not c["passed"]]
    assert not failed
    by_id = {c["id"]: c for c in report["cases"]}
    # The table row is quoted as a row (label — column: value), with the page printed on it.
    row = by_id["pdf-01"]
    assert row["answer"].startswith("Toezicht en handhaving — Budget 2027: € 260.000")
    assert row["citations"][0]["page"] == 2 and row["citations"][0]["section"] == "Financiën"
    zeist = by_id["pdf-05"]["citations"][0]
    assert zeist["page"] == 2 and zeist["section"] == "Hergebruik"  # printed label, not physical page 4
    for case in report["cases"]:
        assert "Pagina" not in case["answer"] and "Nota Grondstoffen 2026 ·" not in case["answer"]
