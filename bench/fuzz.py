"""Schemathesis against the live API: a real uvicorn server on 127.0.0.1, every check on.

Usage::

    .venv/bin/python -m bench.fuzz --cases 10000            # the big run (~half anonymous, half with a key)
    .venv/bin/python -m bench.fuzz --cases 600 --seed 1     # what CI runs, roughly (tests/security)

It starts the server itself over the index in ``KRINGWIJS_HOME`` (run ``kringwijs ingest``
first), prints schemathesis' summary per run and writes ``bench/results/fuzz_<date>.json``.
The exit code is non-zero when any check failed. ``LiveServer`` is shared with the tests.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from kringwijs.settings import Settings

FUZZ_KEY = "fuzz-internal-key-0123456789abcdef"
ST = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")
# Operations in the schema (12 today); --cases is spread over them and over the two callers.
_OPERATIONS = 12


def fuzz_settings(base: Settings, **update: Any) -> Settings:
    """The server under test: one internal key, no rate limit (the fuzzer would only meet 429s,
    and tests/security/test_rate_limit.py covers the limit), and an LLM endpoint that refuses
    connections, so mode 'llm' falls back to the extractive answer at once instead of spending
    seconds per case (the fallback path is what a server without the model does too)."""
    values: dict[str, Any] = {
        "internal_api_keys": [FUZZ_KEY],
        "rate_limit_per_minute": 0,
        "llm_backend": "openai",
        "llm_base_url": "http://127.0.0.1:9/v1",
        "question_log_retention_days": 1,
    }
    values.update(update)
    return base.model_copy(update=values)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    settings: Settings


@contextmanager
def live_server(settings: Settings, assistant: Any = None, question_log: Any = None) -> Iterator[LiveServer]:
    """uvicorn in a thread with the options ``kringwijs serve`` uses; stopped on exit."""
    import uvicorn

    from api.server import create_app, uvicorn_options
    from assistant.question_log import QuestionLog

    settings = settings.model_copy(update={"host": "127.0.0.1", "port": free_port()})
    with tempfile.TemporaryDirectory(prefix="kw-fuzz-log-") as tmp:
        log = question_log or QuestionLog(Path(tmp) / "questions.sqlite")
        app = create_app(settings, assistant, question_log=log)
        options = uvicorn_options(settings) | {"log_level": "warning"}
        server = uvicorn.Server(uvicorn.Config(app, **options))
        thread = threading.Thread(target=server.run, name="kw-live-server", daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{settings.port}"
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            else:
                raise RuntimeError("de server werd niet binnen 300 s klaar")
            yield LiveServer(url, settings)
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            if question_log is None:
                log.close()


def run_schemathesis(url: str, *, max_examples: int, key: str | None, seed: int | None = None) -> dict[str, Any]:
    """One ``st run`` with every check; returns exit code, case count and the summary text."""
    cmd = [
        str(ST), "--config-file", str(CONFIG), "--no-color", "run", f"{url}/openapi.json",
        "--checks", "all",
        "--max-examples", str(max_examples),
        "--workers", "1",
        # A slow answer on a busy 2-core machine is not a defect; 10 s (the default) was hit
        # once by a single question while the whole test suite ran beside the server (16.5 s).
        "--request-timeout", "60",
        "--max-response-time", "60",
        "--url", url,
    ]  # fmt: skip
    if key:
        cmd += ["-H", f"Authorization: Bearer {key}"]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=6 * 3600)
    out = done.stdout + done.stderr
    cases = sum(int(n) for n in re.findall(r"(\d+) generated", out)) or None
    return {
        "caller": "key" if key else "anonymous",
        "exit_code": done.returncode,
        "cases": cases,
        "seconds": round(time.monotonic() - started, 1),
        # Failing requests can be huge (st prints a curl line per case): every line is cut short.
        "summary": "\n".join(line[:400] for line in out.splitlines() if line.strip())[-12000:],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000, help="Total generated cases, roughly (both callers).")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)

    from kringwijs.settings import get_settings

    per_operation = max(1, args.cases // (2 * _OPERATIONS))
    results = []
    with live_server(fuzz_settings(get_settings())) as server:
        for key in (None, FUZZ_KEY):
            result = run_schemathesis(server.url, max_examples=per_operation, key=key, seed=args.seed)
            print(f"== {result['caller']}: exit {result['exit_code']}, {result['seconds']} s")
            print(result["summary"][-1500:])
            results.append(result)
    out = Path("bench/results") / f"fuzz_{time.strftime('%Y%m%d-%H%M')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"max_examples": per_operation, "runs": results}, indent=1), encoding="utf-8")
    print(f"Resultaat: {out}")
    return 0 if all(r["exit_code"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
