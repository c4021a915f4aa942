"""Which sources an index is built from: bundled knowledge, paths added earlier, --rebuild,
--no-bundled, and how failures are reported (real model, real Chroma, the CLI as a user runs it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pdf_samples
import pytest

from assistant.index import IndexReader
from ingest.pipeline import run_ingest
from ingest.store import read_current
from kringwijs.settings import Settings


def _texts(settings: Settings) -> list[str]:
    return IndexReader(settings).chunks.get(include=["documents"])["documents"]


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "KRINGWIJS_HOME": str(settings.home),
        "KRINGWIJS_KNOWLEDGE_DIR": str(settings.knowledge_dir),
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-m", "cli", "ingest", *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def home(fresh_home: Settings, tmp_path: Path) -> Settings:
    fresh_home.knowledge_dir.mkdir(parents=True)
    (fresh_home.knowledge_dir / "gebundeld.md").write_text(
        "# Gebundelde nota\n\nDe provincie subsidieert deelfietsen in Bunnik met 40.000 euro.\n", encoding="utf-8"
    )
    own = tmp_path / "eigen"
    own.mkdir()
    (own / "notitie.md").write_text(
        "# Eigen notitie\n\nHet waterschap test zoutwinning uit afvalwater in Lopik.\n", encoding="utf-8"
    )
    return fresh_home


def test_rebuild_rereads_folders_added_earlier(home: Settings, embedder, tmp_path: Path) -> None:
    run_ingest(home, [tmp_path / "eigen"], embedder=embedder)
    assert any("Lopik" in t for t in _texts(home))
    report = run_ingest(home, rebuild=True, embedder=embedder)
    assert report.ok
    texts = _texts(home)
    assert any("Lopik" in t for t in texts) and any("Bunnik" in t for t in texts)
    # And a plain run afterwards still knows the folder (its new files are picked up).
    (tmp_path / "eigen" / "tweede.md").write_text("# Tweede\n\nIn Vianen opent een materialenbank.\n", "utf-8")
    run_ingest(home, embedder=embedder)
    assert any("Vianen" in t for t in _texts(home))


def test_ingest_path_adds_and_keeps_bundled_knowledge(home: Settings, embedder, tmp_path: Path) -> None:
    run_ingest(home, embedder=embedder)
    report = run_ingest(home, [tmp_path / "eigen" / "notitie.md"], embedder=embedder)
    assert len(report.added) == 1 and not report.removed
    texts = _texts(home)
    assert any("Bunnik" in t for t in texts) and any("Lopik" in t for t in texts)


def test_no_bundled_builds_an_index_of_own_documents_and_is_remembered(
    home: Settings, embedder, tmp_path: Path
) -> None:
    run_ingest(home, embedder=embedder)
    report = run_ingest(home, [tmp_path / "eigen"], bundled=False, embedder=embedder)
    assert report.removed == [str((home.knowledge_dir / "gebundeld.md").resolve())]
    assert not any("Bunnik" in t for t in _texts(home))
    run_ingest(home, embedder=embedder)  # a later plain run keeps the choice
    texts = _texts(home)
    assert not any("Bunnik" in t for t in texts) and any("Lopik" in t for t in texts)
    run_ingest(home, bundled=True, embedder=embedder)
    assert any("Bunnik" in t for t in _texts(home))


def test_one_bad_pdf_in_an_empty_home_is_named_with_its_reason(fresh_home: Settings, tmp_path: Path) -> None:
    fresh_home.knowledge_dir.mkdir(parents=True)  # empty: no bundled knowledge
    bad = tmp_path / "kapot.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    proc = _cli(fresh_home, str(bad))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "kapot.pdf: de PDF is beschadigd of geen geldige PDF" in proc.stderr
    assert "Traceback" not in proc.stderr and "onverwachts" not in proc.stderr
    assert "wel verwerkt" not in proc.stdout + proc.stderr
    assert "Er is niets geïndexeerd" in proc.stdout
    assert read_current(fresh_home) is None  # no empty index replaces nothing


def test_missing_path_and_unsupported_file_exit_1_and_touch_nothing(home: Settings, tmp_path: Path) -> None:
    sheet = tmp_path / "begroting.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    proc = _cli(home, str(tmp_path / "bestaat-niet"), str(sheet))
    assert proc.returncode == 1
    assert "bestaat-niet: dit bestand of deze map bestaat niet" in proc.stderr
    assert "begroting.xlsx: bestandstype '.xlsx' wordt niet ondersteund" in proc.stderr
    assert read_current(home) is None  # the bundled knowledge was not indexed instead


def test_failures_are_reported_for_this_run_only(home: Settings, embedder, tmp_path: Path) -> None:
    folder = tmp_path / "eigen"
    (folder / "kapot.pdf").write_bytes(b"%PDF-1.4 broken")
    first = run_ingest(home, [folder], embedder=embedder)
    assert set(first.failed) == {str((folder / "kapot.pdf").resolve())}
    assert "1 bestand mislukt (de andere wijzigingen zijn wel verwerkt)" in first.summary()
    second = run_ingest(home, embedder=embedder)
    assert second.ok and set(second.known_failed) == set(first.failed)
    assert "mislukt" not in second.summary()
    # Fixed (changed) files are tried again.
    pdf_samples.report_pdf(folder / "kapot.pdf")
    third = run_ingest(home, embedder=embedder)
    assert third.ok and third.added == [str((folder / "kapot.pdf").resolve())]
    assert any("1200 ton bouwafval" in t for t in _texts(home))


def test_encrypted_pdf_with_empty_password_is_indexed(home: Settings, embedder, tmp_path: Path) -> None:
    plain = pdf_samples.report_pdf(tmp_path / "nota.pdf")
    locked = pdf_samples.encrypted_copy(plain, tmp_path / "versleuteld.pdf")
    needs = pdf_samples.encrypted_copy(plain, tmp_path / "wachtwoord.pdf", user_password="geheim")
    report = run_ingest(home, [locked, needs], embedder=embedder)
    assert report.added == [str(locked.resolve())] or str(locked.resolve()) in report.added
    assert "wachtwoord" in report.failed[str(needs.resolve())]
    rows = IndexReader(home).chunks.get(where={"kind": "table_row"}, include=["documents"])["documents"]
    assert "Toezicht en handhaving — Budget 2026: € 210.000; Budget 2027: € 260.000" in rows


def test_ingest_help_says_what_is_kept_and_how_to_leave_bundled_knowledge_out() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cli", "ingest", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "400"},
    )
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "Wat de index al bevat blijft staan" in text
    assert "--no-bundled: alleen uw eigen documenten" in text and "De index onthoudt die keuze" in text
    assert "Word (.docx)" in text
