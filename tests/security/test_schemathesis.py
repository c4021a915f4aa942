"""Schemathesis with every check on, anonymous and with a key, against the live server: the
schema must describe every response, and no input may give a 5xx. 0 failures is the bar.

CI runs a modest sample (KRINGWIJS_FUZZ_EXAMPLES per operation, default 12: a few hundred
cases per caller). The ≥10,000-case run: ``.venv/bin/python -m bench.fuzz --cases 10000``.
"""

from __future__ import annotations

import os

import pytest

from bench.fuzz import FUZZ_KEY, run_schemathesis

EXAMPLES = int(os.environ.get("KRINGWIJS_FUZZ_EXAMPLES", "12"))


@pytest.mark.parametrize("key", [None, FUZZ_KEY], ids=["anonymous", "key"])
def test_schemathesis_all_checks(server, key: str | None) -> None:
    result = run_schemathesis(server.url, max_examples=EXAMPLES, key=key, seed=14)
    assert result["exit_code"] == 0, result["summary"]
