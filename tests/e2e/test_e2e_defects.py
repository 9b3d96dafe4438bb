"""Each suite catches the defect it exists to catch (docs/defects.md).

One stack per defect, because one planted bug hides another: a renamed order.created
field stops every saga, so a missing compensation could not show. The suite under test
must fail, and its log must name the reason. The fuzz defects are in
tests/integration/suites/test_fuzz_suite.py, the message pact's in test_contract_suite.py,
the chaos defects in tests/integration/chaos_experiments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.suites.on_stack import embedded_stack, run_suite_on, suite_log

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

INVENTORY = "inventory<-payment.processed"
CASES = [
    # (defect, suite, pytest -k selection or "", words the failure must name)
    ("products:undocumented-field", "drift", "", ("products", "warehouse_code")),
    ("orders:renamed-event-field", "events", "", ("order.created", "total_cents")),
    ("payments:no-compensation", "events", "saga", ("out_of_stock", "payment.refunded")),
    ("inventory:crash-on-poison", "events", "consumer", (f"keeps_consuming[{INVENTORY}]",)),
]


@pytest.mark.parametrize(
    ("defect", "suite", "selection", "reason"), CASES, ids=[case[0] for case in CASES]
)
def test_the_suite_fails_for_the_planted_reason(
    tmp_path: Path, defect: str, suite: str, selection: str, reason: tuple[str, ...]
) -> None:
    extra = ("-k", selection) if selection else ()
    with embedded_stack(tmp_path / "state", defect) as stack:
        result = run_suite_on(stack, tmp_path, suite, *extra)
    log = suite_log(tmp_path, suite)
    assert result.exit_code == 1, log
    assert result.failed >= 1
    failures = log[log.find("= FAILURES =") :] if "= FAILURES =" in log else log
    for word in reason:
        assert word in failures, f"{word!r} not named in the failures of {suite}:\n{log}"
