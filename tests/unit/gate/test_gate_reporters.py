"""Each reporter tells the same verdict to its audience: terminal, tools, CI, PR, annotations."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from harness.gate.ignores import Ignore
from harness.gate.model import Finding, Place, Severity, Usage
from harness.gate.reporters import FORMATS, ReportOptions
from harness.gate.verdict import Verdict


def _finding(
    rule: str,
    severity: Severity,
    *,
    side: str = "head",
    consumers: tuple[str, ...] = (),
    ignored: str | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        contract="openapi/orders.yaml",
        subject=f"GET /orders/{{id}} -> 200 application/json: {rule}",
        message="field, changed | with a pipe",
        why="clients that read the response",
        place=Place("openapi/orders.yaml", "/components/schemas/Order", 42, side),  # type: ignore[arg-type]
        pointer="/paths/~1orders~1{id}/get",
        usage=Usage("orders", "operation"),
        consumers=consumers,
        ignored=ignored,
    )


VERDICT = Verdict(
    base="main@1a2b3c4:contracts",
    head="contracts",
    policy="strict",
    findings=(
        _finding("response-property-removed", Severity.BREAKING, side="base", consumers=("web",)),
        _finding("response-type-changed", Severity.BREAKING, ignored="accepted in ADR-7"),
        _finding("operation-id-changed", Severity.WARNING),
        _finding("response-compatible", Severity.INFO),
    ),
    expired=(Ignore("path-removed", "GET /legacy", "old", None, 3),),
    documents=("asyncapi/events.yaml", "openapi/orders.yaml"),
)


def test_the_summary_line_counts_everything() -> None:
    assert VERDICT.summary() == (
        "gate FAIL: 2 breaking (1 failing, 1 ignored), 1 warning, 1 info in 2 contracts "
        "(policy strict)"
    )
    assert VERDICT.exit_code == 1


def test_text_groups_by_contract_breaking_first_and_hides_info() -> None:
    out = FORMATS["text"](VERDICT, ReportOptions())
    lines = out.splitlines()
    assert lines[0] == "contracts: main@1a2b3c4:contracts -> contracts"
    table = [line for line in lines if "response-" in line or "operation-id" in line]
    assert [row.split()[0] for row in table] == ["breaking", "accepted", "warning"]
    assert "42 (base)" in table[0] and table[0].rstrip().endswith("web")
    assert "response-compatible" not in out
    assert "response-compatible" in FORMATS["text"](VERDICT, ReportOptions(show_info=True))
    assert lines[-1].startswith("gate FAIL")


def test_json_is_complete_and_machine_readable() -> None:
    data = json.loads(FORMATS["json"](VERDICT, ReportOptions()))
    assert data["verdict"] == "fail" and data["exit_code"] == 1
    assert data["counts"] == {"breaking": 2, "failing": 1, "ignored": 1, "warning": 1, "info": 1}
    first = data["findings"][0]
    assert (first["rule"], first["fails"], first["line"], first["side"], first["consumers"]) == (
        "response-property-removed",
        True,
        42,
        "base",
        ["web"],
    )
    assert data["expired_ignores"][0]["rule"] == "path-removed"


def test_junit_fails_the_contract_with_breaking_changes() -> None:
    suite = ET.fromstring(FORMATS["junit"](VERDICT, ReportOptions()).split("?>", 1)[1])
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    failure = cases["openapi/orders.yaml"].find("failure")
    assert failure is not None and "response-property-removed" in (failure.text or "")
    assert cases["asyncapi/events.yaml"].find("failure") is None


def test_markdown_is_a_pr_comment_with_an_escaped_table() -> None:
    out = FORMATS["markdown"](VERDICT, ReportOptions())
    assert out.startswith("<!-- harness-gate -->\n### :x: Contract gate fails")
    assert "#### `contracts/openapi/orders.yaml`" in out
    assert "with a pipe" in out and "changed \\| with" in out
    assert "expired ignore: `path-removed`" in out


def test_github_annotates_head_lines_and_escapes() -> None:
    lines = FORMATS["github"](VERDICT, ReportOptions()).splitlines()
    removed = next(line for line in lines if "response-property-removed" in line)
    assert removed.startswith("::error file=contracts/openapi/orders.yaml,title=")
    assert ",line=" not in removed and "(line 42 of the base)" in removed
    accepted = next(line for line in lines if "response-type-changed" in line)
    assert accepted.startswith("::warning ") and ",line=42::" in accepted
    assert lines[-1].startswith("::notice title=harness gate::gate FAIL")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_passing_verdict_renders_in_every_format(name: str) -> None:
    passing = Verdict(
        base="b", head="h", policy="consumers", findings=(), documents=("openapi/a.yaml",)
    )
    out = FORMATS[name](passing, ReportOptions())
    assert "gate PASS: 0 breaking" in out
