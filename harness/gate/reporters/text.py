"""The terminal view: one table per contract, breaking first, then pacts and the summary."""

from __future__ import annotations

from harness.cli.table import format_table
from harness.gate.reporters.common import ReportOptions, by_contract, consumers, shown, status
from harness.gate.verdict import Verdict


def render(verdict: Verdict, options: ReportOptions) -> str:
    lines = [f"contracts: {verdict.base} -> {verdict.head}", ""]
    for contract, findings in by_contract(shown(verdict, options)):
        rows = [
            (
                status(verdict, f),
                f.rule,
                _line(f),
                f"{f.subject}: {f.message}" + (f" [accepted: {f.ignored}]" if f.ignored else ""),
                consumers(f),
            )
            for f in findings
        ]
        lines += [
            contract,
            _indent(format_table(("", "rule", "line", "change", "breaks"), rows)),
            "",
        ]
    for entry in verdict.expired:
        lines.append(
            f"expired ignore (gate-ignore.yaml:{entry.line}): {entry.rule} at {entry.where} "
            f"expired {entry.expires}; the finding counts again"
        )
    doubtful = [p for p in verdict.pacts if p.status != "verified"]
    if doubtful:  # verified pacts are counted in the summary; the others are named
        lines.append("pacts not verified:")
        lines += [f"  {p.pact.label:<32} {p.status:<10} {p.detail}" for p in doubtful]
        lines.append("")
    if verdict.deployments:
        lines += deploy_lines(verdict)
    lines.append(verdict.summary())
    return "\n".join(lines) + "\n"


def deploy_lines(verdict: Verdict) -> list[str]:
    """Each can-i-deploy answer; the reasons of those that are not a yes."""
    lines = ["can-i-deploy:"]
    for answer in verdict.deployments:
        lines.append(
            f"  {answer.pacticipant} {answer.version} to {answer.environment}: {answer.word}"
        )
        if answer.deployable is not True:
            lines += [f"    {reason}" for reason in answer.reason.splitlines() if reason]
    return [*lines, ""]


def _line(found: object) -> str:
    place = found.place  # type: ignore[attr-defined]
    where = str(place.line) if place.line else "-"
    return where if place.side == "head" else f"{where} (base)"


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())
