"""Why did ``--mode llm`` fall back? Re-ask the fallback cases of an eval run and record the reason.

The eval runner's per-case JSON has no ``fallback_reason``. A case fell back when its LLM-mode
answer is exactly the extractive answer of the same case (the extractive path is
deterministic); generation is greedy, so asking again reproduces the model's output.
The reasons are written into the LLM eval JSON under ``"llm_fallbacks"``.

Usage::

    KRINGWIJS_HOME=/tmp/kw-llm python bench/llm_fallbacks.py \\
        bench/results/eval_llm_test.json bench/results/eval_llm_baseline_extractive_test.json
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from kringwijs import offline  # noqa: F401  (before torch / chromadb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("llm_json", type=Path)
    parser.add_argument("extractive_json", type=Path)
    parser.add_argument("--dataset", type=Path, default=Path("evals/datasets/test"))
    args = parser.parse_args()

    from assistant.service import Assistant
    from evals.dataset import load_cases
    from kringwijs.settings import Settings

    llm = json.loads(args.llm_json.read_text(encoding="utf-8"))
    ext = {c["id"]: c for c in json.loads(args.extractive_json.read_text(encoding="utf-8"))["cases"]}
    fell_back = [c["id"] for c in llm["cases"] if not c["refused"] and c["answer"] == ext[c["id"]]["answer"]]
    cases = {c.id: c for c in load_cases([args.dataset])}
    assistant = Assistant(Settings(mode="llm"))
    reasons: dict[str, str | None] = {}
    for case_id in fell_back:
        case = cases[case_id]
        answer = assistant.ask(case.question, case.history, audience=case.audience, mode="llm")
        reasons[case_id] = answer.fallback_reason
        print(f"{case_id:12} {answer.fallback_reason}")
    kinds = Counter(
        "verificatie mislukt"
        if (r or "").startswith("verificatie")
        else "taalmodel weigerde ondanks bewijs"
        if (r or "").startswith("taalmodel vond")
        else "niet gereproduceerd (nu wel geverifieerd)"
        if r is None
        else r.split(":")[0]
        for r in reasons.values()
    )
    answered = sum(1 for c in llm["cases"] if not c["refused"])
    summary = {"answered": answered, "fallbacks": len(fell_back), "by_kind": dict(kinds), "reasons": reasons}
    print(json.dumps({k: v for k, v in summary.items() if k != "reasons"}, ensure_ascii=False, indent=1))
    llm["llm_fallbacks"] = summary
    args.llm_json.write_text(json.dumps(llm, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
