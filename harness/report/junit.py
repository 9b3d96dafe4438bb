"""One JUnit XML file for CI systems that read a single file.

pytest writes ``reports/junit/<suite>.xml`` per suite, each a ``<testsuites>`` holding
one ``<testsuite name="pytest">``. The merged ``reports/junit.xml`` holds every suite's
``<testsuite>``, renamed after the suite, under one ``<testsuites>`` with the totals. A
suite that ran but left no readable file (its pytest crashed) becomes a suite with one
error, so CI never mistakes a missing suite for a passing one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.run.runner import SuiteResult

COUNTERS = ("tests", "failures", "errors", "skipped")


@dataclass(frozen=True)
class JunitTotals:
    tests: int
    failures: int
    errors: int
    skipped: int
    suites: int


def merge_junit(junit_dir: Path, output: Path, *, ran: Sequence[SuiteResult] = ()) -> JunitTotals:
    """Merge ``junit_dir/*.xml`` (suites that ran first, in run order) into ``output``."""
    root = ET.Element("testsuites", name="harness")
    names = [r.suite.name for r in ran]
    others = sorted(p.stem for p in junit_dir.glob("*.xml") if p.stem not in names)
    exit_codes = {r.suite.name: r.exit_code for r in ran}
    for name in [*names, *others]:
        root.extend(_suites_of(junit_dir / f"{name}.xml", name, exit_codes.get(name)))
    totals = _add_totals(root)
    output.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(output, encoding="utf-8", xml_declaration=True)
    return totals


def _suites_of(path: Path, name: str, exit_code: int | None) -> list[ET.Element]:
    try:
        document = ET.parse(path).getroot()
    except FileNotFoundError:
        return [_error_suite(name, f"no JUnit XML at {path}", exit_code)]
    except ET.ParseError as exc:
        return [_error_suite(name, f"unreadable JUnit XML at {path}: {exc}", exit_code)]
    suites = [document] if document.tag == "testsuite" else document.findall("testsuite")
    for suite in suites:
        suite.set("name", name)
    return suites


def _error_suite(name: str, problem: str, exit_code: int | None) -> ET.Element:
    if exit_code is not None:
        problem += f" (pytest exited with code {exit_code}; its output: reports/logs/{name}.log)"
    suite = ET.Element("testsuite", name=name, tests="1", errors="1", failures="0", skipped="0")
    case = ET.SubElement(suite, "testcase", classname="harness", name=f"{name} suite")
    ET.SubElement(case, "error", message=problem)
    return suite


def _add_totals(root: ET.Element) -> JunitTotals:
    counts = dict.fromkeys(COUNTERS, 0)
    seconds = 0.0
    for suite in root.findall("testsuite"):
        for counter in COUNTERS:
            counts[counter] += int(suite.get(counter, "0"))
        seconds += float(suite.get("time", "0"))
    for counter, value in counts.items():
        root.set(counter, str(value))
    root.set("time", f"{seconds:.3f}")
    return JunitTotals(**counts, suites=len(root.findall("testsuite")))
