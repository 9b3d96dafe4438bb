"""What the reporters share: options, the order findings are shown in, short phrases."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from harness.gate.model import Finding, Severity
from harness.gate.verdict import Verdict


@dataclass(frozen=True)
class ReportOptions:
    show_info: bool = False  # list compatible changes too (they are always counted)
    repo_prefix: str = "contracts"  # the contracts folder, relative to the repository root


def shown(verdict: Verdict, options: ReportOptions) -> list[Finding]:
    return [f for f in verdict.findings if options.show_info or f.severity is not Severity.INFO]


def by_contract(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Grouped by contract file, breaking first inside each group."""
    ordered = sorted(findings, key=lambda f: (f.contract, f.severity.rank, f.subject, f.rule))
    return [
        (contract, list(group)) for contract, group in groupby(ordered, key=lambda f: f.contract)
    ]


def status(verdict: Verdict, found: Finding) -> str:
    """``breaking``, ``accepted`` (ignored), ``unused`` (no consumer, consumers policy)..."""
    if found.ignored is not None:
        return "accepted"
    if found.severity is Severity.BREAKING and not verdict.fails(found):
        return "unused"
    return found.severity.value


def consumers(found: Finding) -> str:
    return ", ".join(found.consumers) if found.consumers else "-"


def repo_path(options: ReportOptions, file: str) -> str:
    return f"{options.repo_prefix.rstrip('/')}/{file}" if options.repo_prefix else file
