"""Incremental, crash-safe ingest with the real model and a real Chroma index."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.knowledge import write_nota

from assistant.index import IndexReader
from ingest.pipeline import run_ingest
from ingest.store import read_current
from kringwijs.settings import Settings


def write_pdf(path: Path, pages: list[str]) -> None:
    """A real multi-page PDF written with reportlab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for text in pages:
        y = 800
        for line in text.split("\n"):
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()


def texts(settings: Settings) -> list[str]:
    reader = IndexReader(settings)
    return reader.chunks.get(include=["documents"])["documents"]


@pytest.fixture
def kb(fresh_home: Settings) -> Settings:
    root = fresh_home.knowledge_dir
    root.mkdir(parents=True)
    write_nota(root)
    write_pdf(
        root / "rapport.pdf",
        [
            "Rapport hergebruik\n\nHet depot in Amersfoort verwerkt jaarlijks 1200 ton bouwafval.",
            "Tweede pagina\n\nDe kringloopwinkel in Houten opende in maart een reparatiecafe.",
            "Derde pagina\n\nBiobased isolatie met hennep wordt getest in Veenendaal.",
        ],
    )
    return fresh_home


def test_pdf_pages_and_markdown_are_indexed(kb: Settings, embedder) -> None:
    report = run_ingest(kb, embedder=embedder)
    assert report.ok and len(report.added) == 2
    reader = IndexReader(kb)
    got = reader.chunks.get(include=["documents", "metadatas"])
    pages = {m["page"] for d, m in zip(got["documents"], got["metadatas"], strict=True) if "hennep" in d}
    assert pages == {3}
    assert any("Zeist" in d for d in got["documents"])


def test_unchanged_reingest_embeds_nothing(kb: Settings, embedder) -> None:
    run_ingest(kb, embedder=embedder)
    generation = read_current(kb).name
    again = run_ingest(kb, embedder=embedder)
    assert again.embedded == 0 and not again.added and not again.changed
    assert read_current(kb).name == generation  # nothing was rebuilt (its speed is in bench/)


def test_changed_file_replaces_its_chunks_and_removed_file_disappears(kb: Settings, embedder) -> None:
    run_ingest(kb, embedder=embedder)
    note = kb.knowledge_dir / "nota.md"
    note.write_text(note.read_text(encoding="utf-8").replace("Zeist", "Woerden"), encoding="utf-8")
    report = run_ingest(kb, embedder=embedder)
    assert report.changed == [str(note.resolve())]
    stored = texts(kb)
    assert any("Woerden" in t for t in stored) and not any("Zeist" in t for t in stored)
    (kb.knowledge_dir / "rapport.pdf").unlink()
    report = run_ingest(kb, embedder=embedder)
    assert len(report.removed) == 1
    assert not any("hennep" in t for t in texts(kb))


def test_bad_files_are_reported_and_the_rest_is_kept(kb: Settings, embedder) -> None:
    run_ingest(kb, embedder=embedder)
    root = kb.knowledge_dir
    (root / "kapot.pdf").write_bytes(b"%PDF-1.4\n this is not really a pdf")
    (root / "leeg.pdf").write_bytes(b"")
    (root / "vreemd.txt").write_bytes(b"\x00\x01\x02binary")
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("geheim")
    with (root / "versleuteld.pdf").open("wb") as handle:
        writer.write(handle)
    # A changed good file in the same run must still be picked up.
    note = root / "nota.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nExtra zin over Nieuwegein.\n", encoding="utf-8")
    report = run_ingest(kb, embedder=embedder)
    assert not report.ok
    failed = {Path(k).name: v for k, v in report.failed.items()}
    assert set(failed) == {"kapot.pdf", "leeg.pdf", "vreemd.txt", "versleuteld.pdf"}
    assert "versleuteld" in failed["versleuteld.pdf"]
    assert "binair" in failed["vreemd.txt"]
    stored = texts(kb)
    assert any("Nieuwegein" in t for t in stored)  # the good change landed
    assert any("hennep" in t for t in stored)  # nothing indexed before was lost


def test_cli_exit_code_says_whether_anything_failed(kb: Settings, model_home: Path) -> None:
    (kb.knowledge_dir / "kapot.pdf").write_bytes(b"%PDF-1.4 broken")
    env = {**os.environ, "KRINGWIJS_HOME": str(kb.home), "KRINGWIJS_KNOWLEDGE_DIR": str(kb.knowledge_dir)}
    proc = subprocess.run([sys.executable, "-m", "cli", "ingest"], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "kapot.pdf" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout


def test_ingest_killed_halfway_leaves_the_old_index_serving(kb: Settings, embedder) -> None:
    run_ingest(kb, embedder=embedder)
    before = read_current(kb).name
    big = kb.knowledge_dir / "groot.txt"
    big.write_text(
        "\n\n".join(
            f"Alinea {i}: het programma onderzoekt circulaire bouwstroom nummer {i} in de regio." for i in range(400)
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "KRINGWIJS_HOME": str(kb.home), "KRINGWIJS_KNOWLEDGE_DIR": str(kb.knowledge_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "cli", "ingest"], env=env)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            staged = [p for p in kb.index_dir.iterdir() if p.is_dir() and p.name != before]
            if staged:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the writer never started a new generation")
        time.sleep(1.0)  # well inside the embedding of 400 paragraphs
        assert proc.poll() is None, "ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert read_current(kb).name == before
    assert any("hennep" in t for t in texts(kb))
    # The next run cleans up the orphan and completes.
    report = run_ingest(kb, embedder=embedder)
    assert report.ok and any("bouwstroom" in t for t in texts(kb))


def test_rebuild_keeps_the_live_index_until_it_is_replaced(kb: Settings, embedder) -> None:
    from ingest.store import IndexWriter

    run_ingest(kb, embedder=embedder)
    live = read_current(kb)
    writer = IndexWriter(kb, embedder, rebuild=True)  # e.g. --rebuild, or a new model
    try:
        assert live.path.exists(), "a rebuild must not delete the generation readers use"
        assert any("hennep" in t for t in texts(kb))
    finally:
        writer.abort()
    assert read_current(kb).name == live.name
