"""finish_report without Node.js: the run's report files are still written, and the
missing HTML is explained, not raised."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.report.errors import ReportError
from harness.report.finish import finish_report
from harness.report.html import require_results
from harness.run.runner import ReportPaths, SuiteResult
from harness.run.suites import Suite
from harness.target import Contracts, Target

TARGET = Target(
    name="embedded",
    gateway="http://127.0.0.1:8000",
    services={},
    contracts=Contracts(openapi=Path("o"), asyncapi=None, pacts=Path("p")),
)


def test_without_node_the_files_are_written_and_the_fix_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no node, no git
    paths = ReportPaths(tmp_path / "reports")
    said: list[str] = []
    ran = [SuiteResult(Suite("drift", "Drift"), 0, 7, 0, 1.0)]

    assert finish_report(paths, target=TARGET, results=ran, say=said.append) is None

    environment = (paths.results / "environment.properties").read_text()
    assert "target.gateway=http\\://127.0.0.1\\:8000" not in environment  # values keep ':'
    assert "target.gateway=http://127.0.0.1:8000" in environment
    assert "suite.drift=passed, 7 checks, 1.0 s" in environment
    assert json.loads((paths.results / "categories.json").read_text())
    assert (paths.root / "junit.xml").exists()  # drift's missing XML is an error suite
    assert said[-1].startswith("no HTML report: the HTML report needs Node.js")


def test_html_false_makes_no_report_and_says_nothing_about_node(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    paths = ReportPaths(tmp_path / "reports")
    said: list[str] = []
    assert finish_report(paths, target=TARGET, results=[], say=said.append, html=False) is None
    assert not any("no HTML report" in line for line in said)
    assert (paths.results / "environment.properties").exists()


def test_no_results_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"no Allure results in .*; run `harness run` first"):
        require_results(ReportPaths(tmp_path))
