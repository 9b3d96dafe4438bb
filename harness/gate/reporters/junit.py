"""JUnit XML: one test case per contract file, failed by its failing findings."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from harness.gate.reporters.common import ReportOptions, consumers, shown
from harness.gate.verdict import Verdict


def render(verdict: Verdict, options: ReportOptions) -> str:
    suite = ET.Element("testsuite", name="harness gate")
    failures = 0
    for contract in verdict.documents:
        case = ET.SubElement(suite, "testcase", classname="contracts", name=contract)
        mine = [f for f in shown(verdict, options) if f.contract == contract]
        failing = [f for f in mine if verdict.fails(f)]
        if failing:
            failures += 1
            failure = ET.SubElement(
                case, "failure", message=f"{len(failing)} breaking change(s)", type="breaking"
            )
            failure.text = "\n".join(
                f"{f.rule} at {f.place}: {f.subject}: {f.message} (why: {f.why}; breaks: "
                f"{consumers(f)})"
                for f in failing
            )
        others = [f for f in mine if f not in failing]
        if others:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(
                f"{f.severity.value} {f.rule}: {f.subject}: {f.message}" for f in others
            )
    suite.set("tests", str(len(verdict.documents)))
    suite.set("failures", str(failures))
    ET.SubElement(suite, "system-out").text = verdict.summary()
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
