"""TUI first answer: seconds from a fresh ``python`` process to the first finished answer in the
Vragen tab (imports, index and model load, answering, rendering), driven by Textual's Pilot
in a headless terminal. Each run is its own process (``--child``), so nothing is warm.

Usage::

    python -m bench.tui_bench --home ingest-bundled --out r.json [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import BENCH_ROOT, REPO, write_json

QUESTION = "Hoeveel geld gaat er in 2026 naar VTH?"


async def _first_answer(started: float, paste: bool = False) -> dict[str, Any]:
    from textual.widgets import Input

    from kringwijs.settings import Settings
    from tui.answer_block import AnswerBlock
    from tui.app import KringwijsApp
    from tui.backend import LocalBackend

    backend = LocalBackend(Settings())
    app = KringwijsApp(backend)
    async with app.run_test(size=(100, 40)) as pilot:
        shown = time.perf_counter() - started
        if paste:
            # The question pasted at once, as soon as the screen is up: the start-up wait alone.
            app.query_one("#question", Input).value = QUESTION
        else:
            # Pilot types key by key, waiting for each to be processed: that is typing time (the
            # background model load runs meanwhile), reported apart from the wait after Enter.
            await pilot.press(*QUESTION)
        typed = time.perf_counter() - started
        await pilot.press("enter")
        while True:
            blocks = list(app.query(AnswerBlock))
            if blocks and blocks[-1].answer is not None:
                break
            await asyncio.sleep(0.02)
        answered = time.perf_counter() - started
        text = blocks[-1].answer.answer
    backend.close()
    return {
        "ui_shown_s": round(shown, 2),
        "typed_s": round(typed, 2),
        "first_answer_s": round(answered, 2),
        "wait_after_enter_s": round(answered - typed, 2),
        "answer": text[:80],
    }


def child(started: float, paste: bool = False) -> None:
    print(json.dumps(asyncio.run(_first_answer(started, paste))))


def run(home: str, runs: int) -> dict[str, Any]:
    typed = _runs(home, runs, paste=False)
    pasted = _runs(home, runs, paste=True)
    return {
        "runs": typed,
        "median_first_answer_s": round(statistics.median(r["first_answer_s"] for r in typed), 2),
        "median_typed_s": round(statistics.median(r["typed_s"] for r in typed), 2),
        "median_wait_after_enter_s": round(statistics.median(r["wait_after_enter_s"] for r in typed), 2),
        "median_process_wall_s": round(statistics.median(r["process_wall_s"] for r in typed), 2),
        "pasted_runs": pasted,
        "median_first_answer_pasted_s": round(statistics.median(r["first_answer_s"] for r in pasted), 2),
        "home": home,
    }


def _runs(home: str, runs: int, *, paste: bool) -> list[dict[str, Any]]:
    env = {**os.environ, "KRINGWIJS_HOME": str(BENCH_ROOT / f"kw-bench-{home}")}
    out = []
    for _ in range(runs):
        code = f"import time; t = time.perf_counter(); from bench.tui_bench import child; child(t, {paste})"
        # perf_counter starts with the interpreter, so add the interpreter's own start-up by wall clock.
        wall = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-2000:])
        data = json.loads(proc.stdout.strip().splitlines()[-1])
        data["process_wall_s"] = round(time.perf_counter() - wall, 2)
        out.append(data)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", default="ingest-bundled")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_json(args.out, run(args.home, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
