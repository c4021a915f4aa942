"""Summarise an ``--mode llm`` eval run against an extractive run of the same split.

Prints accuracy, refusal precision/recall and citation support side by side, how often
verification forced the extractive fallback (and why), and time-to-first-token and total
time p50/p95. With ``--write`` the LLM figures are added to the LLM eval JSON under
``"llm_summary"`` (the runner itself is left alone).

Usage::

    kringwijs eval --dataset evals/datasets/test --mode llm --json bench/results/eval_llm_test_REV.json
    kringwijs eval --dataset evals/datasets/test --json bench/results/eval_extractive_test_REV.json
    python bench/llm_report.py bench/results/eval_llm_test_REV.json bench/results/eval_extractive_test_REV.json --write
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


def summarise_llm(report: dict[str, Any], extractive: dict[str, Any]) -> dict[str, Any]:
    """Fallback counts, their reasons and latency percentiles from the per-case answers.

    A case fell back when the runner recorded a ``fallback_reason`` for an answered case
    (older JSON without that field: when its answer is exactly the extractive answer).
    """
    ext = {c["id"]: c for c in extractive["cases"]}
    cases = report["cases"]
    answered = [c for c in cases if not c["refused"]]
    if all("fallback_reason" in c for c in cases):
        fell_back = [c for c in answered if c["fallback_reason"]]
    else:
        fell_back = [c for c in answered if c["answer"] == ext[c["id"]]["answer"]]
    verified = [c for c in answered if c not in fell_back]
    ttft = [c["timings_ms"]["first_token"] for c in answered if "first_token" in c["timings_ms"]]
    ttft_ok = [c["timings_ms"]["first_token"] for c in verified if "first_token" in c["timings_ms"]]
    total = [c["timings_ms"]["total"] for c in answered if "total" in c["timings_ms"]]
    all_total = [c["timings_ms"]["total"] for c in cases if "total" in c["timings_ms"]]
    summary: dict[str, Any] = {
        "cases": len(cases),
        "refused_in_code_without_llm": len(cases) - len(answered),
        "answered": len(answered),
        "llm_answer_verified_and_kept": len(verified),
        "fallback_to_extractive": len(fell_back),
        "fallback_rate_of_answered": round(len(fell_back) / len(answered), 4) if answered else None,
        "first_token_ms_p50": _pct(ttft, 50),
        "first_token_ms_p95": _pct(ttft, 95),
        "first_token_ms_p50_verified": _pct(ttft_ok, 50),
        "total_ms_p50": _pct(total, 50),
        "total_ms_p95": _pct(total, 95),
        "total_ms_p50_all_cases": _pct(all_total, 50),
        "total_ms_p95_all_cases": _pct(all_total, 95),
    }
    kinds = Counter(_kind(c.get("fallback_reason") or "") for c in fell_back if c.get("fallback_reason"))
    if kinds:
        summary["fallback_by_kind"] = dict(kinds.most_common())
    return summary


def _kind(reason: str) -> str:
    """'verificatie mislukt: getal '300.000' staat niet in bron [1]' -> 'getal niet in bron'."""
    if "hoort in bron" in reason:
        return "getal bij een ander jaar"
    if "getal" in reason:
        return "getal niet in bron"
    if "naam" in reason:
        return "naam niet in bron"
    if "bronverwijzing" in reason:
        return "bronverwijzing ongeldig"
    return reason.split(":")[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("llm_json", type=Path)
    parser.add_argument("extractive_json", type=Path)
    parser.add_argument("--write", action="store_true", help="add llm_summary to the LLM eval JSON")
    args = parser.parse_args()
    llm = json.loads(args.llm_json.read_text(encoding="utf-8"))
    ext = json.loads(args.extractive_json.read_text(encoding="utf-8"))
    m_llm, m_ext = llm["metrics"]["kringwijs"]["overall"], ext["metrics"]["kringwijs"]["overall"]
    print(f"{'metric':24} {'extractive':>11} {'llm':>11}")
    for key in [*METRICS, "latency_p50_ms", "latency_p95_ms"]:
        print(f"{key:24} {m_ext.get(key)!s:>11} {m_llm.get(key)!s:>11}")
    summary = summarise_llm(llm, ext)
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
