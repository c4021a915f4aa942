"""The ``kringwijs`` command line as a user runs it: a subprocess, real index, real records.

Help and errors in Dutch, valid values with a "bedoelde u …?" guess, export with the same
filters as the list, hints that paste as one command, and clear exits for bad input.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from kringwijs.settings import Settings

# English that argparse prints unless its strings are translated.
ENGLISH = ("usage:", "show this help message", "positional arguments", "options:", "error:", "invalid choice")


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # COLUMNS is narrow on purpose: a hint must not be broken over lines even then.
    base = {**os.environ, "COLUMNS": "60", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], env=base, cwd=cwd, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def home_env(settings: Settings, built_index) -> dict[str, str]:
    """The session's built index, for commands that answer questions."""
    return {"KRINGWIJS_HOME": str(settings.home), "KRINGWIJS_QUESTION_LOG": "false"}


@pytest.mark.parametrize("args", [["--help"], ["ask", "--help"], ["criteria", "--help"], ["ingest", "--help"]])
def test_help_is_dutch(args: list[str]) -> None:
    proc = run(*args)
    assert proc.returncode == 0
    assert proc.stdout.startswith("gebruik: kringwijs")
    assert "toon deze hulp en stop" in proc.stdout
    assert not [e for e in ENGLISH if e in proc.stdout]


def test_criteria_help_lists_groups_types_and_themes() -> None:
    out = " ".join(run("criteria", "--help").stdout.split())  # the help wraps to the terminal
    assert "ict-hardware" in out and "catering" in out  # product groups, from the records
    assert "gunningscriterium" in out and "contractbepaling" in out
    assert "Circulair (inclusief biobased)" in out


@pytest.mark.parametrize(
    ("args", "guess", "listed"),
    [
        (["--product-group", "laptops"], "Bedoelde u ict-hardware?", "catering"),
        (["--product-group", "cateing"], "Bedoelde u catering?", "ict-hardware"),
        (["--type", "award"], "Bedoelde u gunningscriterium?", "minimumeis"),
        (["--theme", "circulaire"], "Bedoelde u Circulair (inclusief biobased)?", "Klimaat"),
    ],
)
def test_unknown_filter_values_list_the_valid_ones_with_a_guess(args: list[str], guess: str, listed: str) -> None:
    proc = run("criteria", *args)
    assert proc.returncode == 2
    err = " ".join(proc.stderr.split())  # the terminal may wrap the message; the words stay
    assert guess in err and "Kies uit:" in err and listed in err
    assert "Traceback" not in proc.stderr


def test_wrong_choice_is_dutch_with_a_guess() -> None:
    proc = run("ask", "--audience", "publc", "vraag")
    assert proc.returncode == 2
    err = " ".join(proc.stderr.split())
    assert "ongeldige keuze 'publc'" in err and "Bedoelde u public?" in err
    assert not [e for e in ENGLISH if e in proc.stderr]


def test_list_hint_is_one_pasteable_command_that_exports_the_same_selection(tmp_path: Path) -> None:
    listed = run("criteria", "--product-group", "catering", "--ambition", "1")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    ids = [line.split()[0] for line in lines if line.startswith("cat-")]
    hint = next(line for line in lines if line.startswith("kringwijs criteria export"))
    assert "…" not in listed.stdout and len(hint) > 60  # longer than the terminal, still one line
    args = shlex.split(hint)[1:]
    exported = run(*args, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    doc = Document(str(tmp_path / "mvoi-criteria.docx"))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        cell.text for table in doc.tables for row in table.rows for cell in row.cells
    )
    assert ids and all(i in text for i in ids)
    assert "cat-03" not in text  # level 2 and 3 stay out


def test_export_takes_filters_without_ids(tmp_path: Path) -> None:
    out = tmp_path / "catering.md"
    proc = run("criteria", "export", "--product-group", "catering", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "cat-01" in text and "ict-hw-01" not in text


def test_export_without_a_selection_says_how() -> None:
    proc = run("criteria", "export")
    assert proc.returncode == 2
    assert "--ids" in proc.stderr and "--product-group" in proc.stderr


def test_unknown_id_is_named_with_a_guess() -> None:
    proc = run("criteria", "export", "--ids", "ict-hw-01,ict-hw-99")
    assert proc.returncode == 2
    assert "ict-hw-99" in proc.stderr and "Bedoelde u ict-hw-09?" in " ".join(proc.stderr.split())


@pytest.mark.parametrize("question", ["", "   ", "?!"])
def test_empty_question_exits_2_with_a_message(question: str) -> None:
    proc = run("ask", question)
    assert proc.returncode == 2
    assert "Stel een vraag" in proc.stderr and proc.stdout == ""


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{niet json", "geen geldige JSON"),
        ('{"role": "user", "content": "x"}', "moet een lijst van beurten"),
        ('[{"role": "user"}]', "Beurt 1"),
        ('[{"role": "robot", "content": "x"}]', "Beurt 1"),
    ],
)
def test_malformed_history_gets_a_dutch_message(tmp_path: Path, content: str, says: str) -> None:
    path = tmp_path / "beurten.json"
    path.write_text(content, encoding="utf-8")
    proc = run("ask", "--history", str(path), "En in 2027?")
    assert proc.returncode == 2
    err = " ".join(proc.stderr.split())
    assert says in err and "TypeError" not in err and "Traceback" not in err


def test_missing_history_file(tmp_path: Path) -> None:
    proc = run("ask", "--history", str(tmp_path / "weg.json"), "En in 2027?")
    assert proc.returncode == 2 and "bestaat niet" in proc.stderr


def test_plain_ask_prints_the_criteria_cards(home_env: dict[str, str]) -> None:
    proc = run("ask", "Welke circulaire eisen kan ik stellen bij laptops?", env=home_env)
    assert proc.returncode == 0, proc.stderr
    as_json = run("ask", "--json", "Welke circulaire eisen kan ik stellen bij laptops?", env=home_env)
    cards = [c for g in json.loads(as_json.stdout)["criteria"] for c in g["cards"]]
    assert cards
    for card in cards:  # every card on its own line: id and title
        assert any(line.split()[:1] == [card["id"]] and card["title"] in line for line in proc.stdout.splitlines())
    hint = next(line for line in proc.stdout.splitlines() if line.startswith("kringwijs criteria export --ids"))
    assert all(card["id"] in hint for card in cards)


def test_follow_up_with_a_valid_history_answers(home_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "beurten.json"
    turns = [{"role": "user", "content": "Hoeveel geld gaat er in 2026 naar VTH?"}]
    path.write_text(json.dumps(turns), encoding="utf-8")
    proc = run("ask", "--json", "--history", str(path), "En in 2027?", env=home_env)
    assert proc.returncode == 0, proc.stderr
    assert "VTH" in json.loads(proc.stdout)["standalone_query"]
