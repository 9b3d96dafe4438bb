"""GitHub Actions workflow commands: an annotation on the contract line of each finding.

Things removed in the head have no line there; they are annotated on the file alone,
with the base line in the message.
"""

from __future__ import annotations

from harness.gate.model import Severity
from harness.gate.reporters.common import ReportOptions, consumers, repo_path, shown, status
from harness.gate.verdict import Verdict


def render(verdict: Verdict, options: ReportOptions) -> str:
    lines = []
    for f in shown(verdict, options):
        level = (
            "error"
            if verdict.fails(f)
            else "warning"
            if f.severity is not Severity.INFO
            else "notice"
        )
        properties = {
            "file": repo_path(options, f.place.file),
            "title": f"{f.rule} ({status(verdict, f)})",
        }
        message = f"{f.subject}: {f.message}. Why: {f.why}. Consumers: {consumers(f)}"
        if f.place.line and f.place.side == "head":
            properties["line"] = str(f.place.line)
        elif f.place.line:
            message += f" (line {f.place.line} of the base)"
        shown_properties = ",".join(f"{k}={_escape(v, True)}" for k, v in properties.items())
        lines.append(f"::{level} {shown_properties}::{_escape(message, False)}")
    lines.append(f"::notice title=harness gate::{_escape(verdict.summary(), False)}")
    return "\n".join(lines) + "\n"


def _escape(text: str, property_value: bool) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text
