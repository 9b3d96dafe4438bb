"""Every corpus case gets the verdict it names, through the rule it names; the corpus
covers every rule, on both sides of the wire, and enough pure refactors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from harness.gate.rules import RULES
from tests.gate_corpus.corpus import Case, judge, load_cases

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_case_gets_its_verdict_through_its_rule(case: Case, tmp_path: Path) -> None:
    verdict = judge(case, tmp_path)
    shown = "\n".join(f"  {f.severity} {f.rule} {f.subject}: {f.message}" for f in verdict.findings)
    if case.rule == "refactor":
        assert verdict.findings == (), f"a refactor was flagged:\n{shown}"
        return
    assert verdict.exit_code == (1 if case.verdict == "breaking" else 0), shown
    pool = verdict.failing if case.verdict == "breaking" else verdict.findings
    matching = [f for f in pool if f.rule == case.rule]
    assert matching, f"expected {case.rule}; found:\n{shown}"
    if case.consumers is not None:
        assert matching[0].consumers == case.consumers


def test_corpus_is_large_enough_and_has_pure_refactors() -> None:
    assert len(CASES) >= 80
    refactors = [case for case in CASES if case.id.startswith("refactors/")]
    assert len(refactors) >= 15 and all(case.rule == "refactor" for case in refactors)
    assert all(case.verdict in ("breaking", "compatible") for case in CASES)


def test_every_rule_has_a_case() -> None:
    missing = sorted(set(RULES) - {case.rule for case in CASES})
    assert not missing, f"rules without a corpus case: {missing}"


def test_rules_are_exercised_in_both_directions() -> None:
    """Each family is seen breaking and compatible: what breaks one side is fine on the other."""
    seen = Counter((case.rule.split("-", 1)[0], case.verdict) for case in CASES)
    for family in ("request", "response", "publish", "subscribe"):
        assert seen[(family, "breaking")] and seen[(family, "compatible")], family
