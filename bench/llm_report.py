"""Summarise an ``--mode llm`` eval run against an extractive run of the same split.

Prints accuracy, refusal precision/recall and citation support side by side, how often
verification forced the extractive fallback (and why), and time-to-first-token and total
time p50/p95. With ``--write`` the LLM figures are added to the LLM eval JSON under
``"llm_summary"`` (the runner itself is left alone).

Usage::

    python bench/llm_report.py bench/results/eval_llm_test.json bench/results/eval_llm_extractive_test.json --write
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

METRICS = ["cases", "accuracy", "answer_accuracy", "refusal_precision", "refusal_recall", "citation_support"]


def _pct(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 1) if values else None


def _kind(reason: str | None, refused: bool) -> str:
    if refused:
        return "geweigerd in code (geen LLM-aanroep)"
    if reason is None:
        return "LLM-antwoord geverifieerd"
    if reason.startswith("verificatie mislukt"):
        return "fallback: verificatie mislukt"
    if reason.startswith("taalmodel vond"):
        return "fallback: taalmodel weigerde ondanks bewijs"
    return "fallback: " + reason.split(":")[0]


def summarise_llm(report: dict[str, Any]) -> dict[str, Any]:
    """Fallback counts and latency percentiles from the per-case answers and timings."""
    cases = report["cases"]
    kinds = Counter(_kind(c.get("fallback_reason"), c["refused"]) for c in cases)
    generated = [c for c in cases if not c["refused"]]
    ttft = [c["timings_ms"]["first_token"] for c in generated if "first_token" in c["timings_ms"]]
    total = [c["timings_ms"]["total"] for c in generated if "total" in c["timings_ms"]]
    gen = [c["timings_ms"]["generation"] for c in generated if "generation" in c["timings_ms"]]
    all_total = [c["timings_ms"]["total"] for c in cases if "total" in c["timings_ms"]]
    return {
        "outcomes": dict(kinds.most_common()),
        "answered_cases": len(generated),
        "fallback_rate_of_answered": round(
            sum(v for k, v in kinds.items() if k.startswith("fallback")) / len(generated), 4
        )
        if generated
        else None,
        "verification_fallback_rate_of_answered": round(kinds["fallback: verificatie mislukt"] / len(generated), 4)
        if generated
        else None,
        "first_token_ms_p50": _pct(ttft, 50),
        "first_token_ms_p95": _pct(ttft, 95),
        "generation_ms_p50": _pct(gen, 50),
        "total_ms_p50": _pct(total, 50),
        "total_ms_p95": _pct(total, 95),
        "total_ms_p50_all_cases": _pct(all_total, 50),
        "total_ms_p95_all_cases": _pct(all_total, 95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("llm_json", type=Path)
    parser.add_argument("extractive_json", type=Path)
    parser.add_argument("--write", action="store_true", help="add llm_summary to the LLM eval JSON")
    args = parser.parse_args()
    llm = json.loads(args.llm_json.read_text(encoding="utf-8"))
    ext = json.loads(args.extractive_json.read_text(encoding="utf-8"))
    # The runner's report has no fallback_reason per case; it is derived from the answers here.
    m_llm, m_ext = llm["metrics"]["kringwijs"]["overall"], ext["metrics"]["kringwijs"]["overall"]
    print(f"{'metric':24} {'extractive':>11} {'llm':>11}")
    for key in [*METRICS, "latency_p50_ms", "latency_p95_ms"]:
        print(f"{key:24} {m_ext.get(key)!s:>11} {m_llm.get(key)!s:>11}")
    summary = summarise_llm(llm)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    ext_by_id = {c["id"]: c for c in ext["cases"]}
    changed = [(c["id"], ext_by_id[c["id"]]["passed"], c["passed"]) for c in llm["cases"] if c["id"] in ext_by_id]
    gained = [i for i, e, g in changed if g and not e]
    lost = [i for i, e, g in changed if e and not g]
    print(f"correct only in llm mode: {gained}\ncorrect only in extractive mode: {lost}")
    if args.write:
        llm["llm_summary"] = {**summary, "gained_vs_extractive": gained, "lost_vs_extractive": lost}
        args.llm_json.write_text(json.dumps(llm, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
