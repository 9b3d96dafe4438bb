"""One JUnit XML for CI: every suite, totals, and a missing suite as an error."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from harness.report.junit import JunitTotals, merge_junit
from harness.run.runner import SuiteResult
from harness.run.suites import Suite


def pytest_junit(tests: int, failures: int, *, time: str = "1.5") -> str:
    cases = "".join(
        f'<testcase classname="m" name="t{i}">'
        + ('<failure message="AssertionError: no">trace</failure>' if i < failures else "")
        + "</testcase>"
        for i in range(tests)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">'
        f'<testsuite name="pytest" errors="0" failures="{failures}" skipped="0" '
        f'tests="{tests}" time="{time}">{cases}</testsuite></testsuites>'
    )


def result(name: str, exit_code: int = 0) -> SuiteResult:
    return SuiteResult(Suite(name, name.title()), exit_code, 0, 0, 1.0)


def test_suites_merge_in_run_order_with_totals(tmp_path: Path) -> None:
    junit = tmp_path / "junit"
    junit.mkdir()
    (junit / "drift.xml").write_text(pytest_junit(3, 1))
    (junit / "contract.xml").write_text(pytest_junit(2, 0, time="2.25"))
    (junit / "load.xml").write_text(pytest_junit(1, 0))  # not a suite of this run
    output = tmp_path / "junit.xml"

    totals = merge_junit(junit, output, ran=[result("drift", 1), result("contract")])

    assert totals == JunitTotals(tests=6, failures=1, errors=0, skipped=0, suites=3)
    root = ET.parse(output).getroot()
    assert root.tag == "testsuites"
    assert [s.get("name") for s in root] == ["drift", "contract", "load"]
    assert root.get("tests") == "6"
    assert root.get("time") == "5.250"
    assert len(root.findall("testsuite/testcase")) == 6


def test_a_suite_without_readable_xml_is_an_error_not_a_pass(tmp_path: Path) -> None:
    junit = tmp_path / "junit"
    junit.mkdir()
    (junit / "fuzz.xml").write_text("<testsuites><testsuite")  # cut short by a crash
    output = tmp_path / "junit.xml"

    totals = merge_junit(junit, output, ran=[result("fuzz", 3), result("events", 4)])

    assert totals.errors == 2
    root = ET.parse(output).getroot()
    messages = [e.get("message", "") for e in root.iter("error")]
    assert "unreadable JUnit XML" in messages[0]
    assert "pytest exited with code 3" in messages[0]
    assert "no JUnit XML" in messages[1]
    assert "reports/logs/events.log" in messages[1]


def test_nothing_ran_gives_an_empty_but_valid_file(tmp_path: Path) -> None:
    totals = merge_junit(tmp_path / "missing", tmp_path / "junit.xml")
    assert totals == JunitTotals(0, 0, 0, 0, 0)
    assert ET.parse(tmp_path / "junit.xml").getroot().get("tests") == "0"
