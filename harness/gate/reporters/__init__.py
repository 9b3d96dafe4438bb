"""Reporters: each turns a verdict into text for one audience (pure: the CLI prints it).

``text`` for a terminal, ``json`` for tools, ``junit`` for CI test views, ``markdown``
for a pull-request comment, ``github`` for workflow annotations.
"""

from __future__ import annotations

from collections.abc import Callable

from harness.gate.reporters import github, json_report, junit, markdown, text
from harness.gate.reporters.common import ReportOptions
from harness.gate.verdict import Verdict

Reporter = Callable[[Verdict, ReportOptions], str]
FORMATS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "github": github.render,
}

__all__ = ["FORMATS", "ReportOptions", "Reporter"]
