"""Markdown for a pull-request comment: the verdict first, then what breaks whom."""

from __future__ import annotations

from harness.gate.reporters.common import (
    ReportOptions,
    by_contract,
    consumers,
    repo_path,
    shown,
    status,
)
from harness.gate.verdict import Verdict

MARKER = "<!-- harness-gate -->"  # lets a workflow find and update its own comment


def render(verdict: Verdict, options: ReportOptions) -> str:
    title = "passes" if verdict.passed else "fails"
    icon = ":white_check_mark:" if verdict.passed else ":x:"
    lines = [MARKER, f"### {icon} Contract gate {title}", "", f"`{verdict.summary()}`", ""]
    lines.append(f"Compared `{verdict.base}` (base) with `{verdict.head}` (head).")
    lines.append("")
    for contract, findings in by_contract(shown(verdict, options)):
        lines += [f"#### `{repo_path(options, contract)}`", ""]
        lines += [
            "| | rule | where | change | why it breaks | breaks |",
            "|---|---|---|---|---|---|",
        ]
        for f in findings:
            where = f"{f.place.file}:{f.place.line}" if f.place.line else f.place.file
            where += " (base)" if f.place.side == "base" else ""
            change = f"{f.subject}: {f.message}"
            if f.ignored:
                change += f" (accepted: {f.ignored})"
            lines.append(
                f"| {status(verdict, f)} | `{f.rule}` | `{where}` | {_cell(change)} | "
                f"{_cell(f.why)} | {consumers(f)} |"
            )
        lines.append("")
    if verdict.pacts:
        lines += ["<details><summary>Pacts</summary>", "", "| pact | status | detail |"]
        lines.append("|---|---|---|")
        lines += [f"| {p.pact.label} | {p.status} | {p.detail} |" for p in verdict.pacts]
        lines += ["", "</details>", ""]
    for entry in verdict.expired:
        lines.append(
            f"- expired ignore: `{entry.rule}` at `{entry.where}` (expired {entry.expires})"
        )
    return "\n".join(lines).rstrip() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
