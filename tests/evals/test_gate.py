"""CI gate: the dev split must stay above the agreed floors (the test split is reported, not gated)."""

from __future__ import annotations

from evals.dataset import DATASETS, facts_matched, load_cases
from evals.runner import evaluate

# The floors agreed in the eval issue, enforced on the dev split (the test split is reported
# in the README, not gated: gating it would turn it into a tuning set).
FLOORS = {"answer_accuracy": 0.90, "refusal_recall": 0.95, "refusal_precision": 0.95, "citation_support": 0.95}


def test_dev_split_meets_the_floors(settings, assistant) -> None:
    report = evaluate(settings, [DATASETS / "dev"], assistant=assistant)
    overall = report["metrics"]["kringwijs"]["overall"]
    failed = [f"{c['id']}: {c['answer'][:80]!r}" for c in report["cases"] if not c["passed"]]
    print(f"dev metrics: {overall}")
    for metric, floor in FLOORS.items():
        assert overall[metric] >= floor, f"{metric} {overall[metric]} < {floor}; failures: {failed}"


def test_gold_sets_are_well_formed() -> None:
    dev, test = load_cases([DATASETS / "dev"]), load_cases([DATASETS / "test"])
    assert len(dev) + len(test) >= 150
    assert not {c.id for c in dev} & {c.id for c in test}
    categories = {c.category for c in dev + test}
    for needed in ("fin", "oos", "en", "fu", "crit", "sub", "reg"):
        assert needed in categories


def test_matching_rule_normalises_case_and_spaces() -> None:
    assert facts_matched([["€ 400.000", "4 ton"]], "Budget: €\u00a0400.000 [1]")
    assert facts_matched([["Route Circulair"]], "route  circulair")
    assert not facts_matched([["400.000"], ["2027"]], "400.000 in 2026")
