"""Everything, as JSON: for tools and dashboards."""

from __future__ import annotations

import json
from typing import Any

from harness.gate.model import Finding
from harness.gate.reporters.common import ReportOptions, status
from harness.gate.verdict import Verdict


def render(verdict: Verdict, options: ReportOptions) -> str:
    document: dict[str, Any] = {
        "verdict": "pass" if verdict.passed else "fail",
        "exit_code": verdict.exit_code,
        "policy": verdict.policy,
        "base": verdict.base,
        "head": verdict.head,
        "summary": verdict.summary(),
        "contracts": list(verdict.documents),
        "counts": {
            "breaking": sum(1 for f in verdict.findings if f.severity == "breaking"),
            "failing": len(verdict.failing),
            "ignored": verdict.ignored,
            "warning": sum(1 for f in verdict.findings if f.severity == "warning"),
            "info": sum(1 for f in verdict.findings if f.severity == "info"),
        },
        "findings": [_finding(verdict, f) for f in verdict.findings],
        "pacts": [
            {
                "consumer": p.pact.consumer,
                "provider": p.pact.provider,
                "file": p.pact.file,
                "status": p.status,
                "detail": p.detail,
            }
            for p in verdict.pacts
        ],
        "can_i_deploy": [
            {
                "pacticipant": a.pacticipant,
                "version": a.version,
                "environment": a.environment,
                "deployable": a.deployable,
                "reason": a.reason,
                "matrix": [str(row) for row in a.rows],
            }
            for a in verdict.deployments
        ],
        "expired_ignores": [
            {"rule": e.rule, "where": e.where, "expires": str(e.expires), "line": e.line}
            for e in verdict.expired
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _finding(verdict: Verdict, found: Finding) -> dict[str, Any]:
    return {
        "rule": found.rule,
        "severity": found.severity.value,
        "status": status(verdict, found),
        "fails": verdict.fails(found),
        "contract": found.contract,
        "file": found.place.file,
        "line": found.place.line,
        "side": found.place.side,
        "pointer": found.pointer,
        "where": found.where,
        "subject": found.subject,
        "message": found.message,
        "why": found.why,
        "consumers": list(found.consumers),
        "ignored": found.ignored,
    }
