"""The verdict: which findings fail the gate under the chosen policy, and the summary.

- ``strict`` (default): every breaking change fails the gate unless an ignore accepts it.
- ``consumers``: a breaking change fails only when a pact shows a consumer it breaks; one
  that no known consumer uses is still reported, marked "no known consumer".

With ``--can-i-deploy`` the Pact Broker's answers are part of the verdict: any answer
but "yes" fails it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from harness.broker.deploy import DeployAnswer
from harness.gate.ignores import Ignore
from harness.gate.model import Finding, Severity
from harness.gate.verification import PactStatus

Policy = Literal["strict", "consumers"]
POLICIES: tuple[Policy, ...] = ("strict", "consumers")


@dataclass(frozen=True)
class Verdict:
    base: str
    head: str
    policy: Policy
    findings: tuple[Finding, ...]
    pacts: tuple[PactStatus, ...] = ()
    expired: tuple[Ignore, ...] = ()
    documents: tuple[str, ...] = ()  # every contract file compared (either side)
    deployments: tuple[DeployAnswer, ...] = ()  # can-i-deploy answers, when asked

    def fails(self, found: Finding) -> bool:
        if found.severity is not Severity.BREAKING or found.ignored is not None:
            return False
        return self.policy == "strict" or bool(found.consumers)

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if self.fails(f)]

    @property
    def undeployable(self) -> list[DeployAnswer]:
        return [answer for answer in self.deployments if answer.deployable is not True]

    @property
    def passed(self) -> bool:
        return not self.failing and not self.undeployable

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def ignored(self) -> int:
        return sum(1 for f in self.findings if f.ignored is not None)

    @property
    def unused(self) -> int:
        """Breaking changes no consumer uses (that pass under the consumers policy)."""
        return sum(
            1
            for f in self.findings
            if f.severity is Severity.BREAKING and f.ignored is None and not f.consumers
        )

    def summary(self) -> str:
        """One line: the verdict and the counts."""
        word = "PASS" if self.passed else "FAIL"
        breaking = self.count(Severity.BREAKING)
        notes = []
        if self.ignored:
            notes.append(f"{self.ignored} ignored")
        if self.policy == "consumers" and self.unused:
            notes.append(f"{self.unused} with no known consumer")
        if self.failing and len(self.failing) != breaking:
            notes.insert(0, f"{len(self.failing)} failing")
        detail = f" ({', '.join(notes)})" if notes else ""
        line = (
            f"gate {word}: {breaking} breaking{detail}, {self.count(Severity.WARNING)} warning"
            f"{'s' if self.count(Severity.WARNING) != 1 else ''}, {self.count(Severity.INFO)} info"
            f" in {len(self.documents)} contract{'s' if len(self.documents) != 1 else ''}"
            f" (policy {self.policy})"
        )
        if self.pacts:
            states = Counter(status.status for status in self.pacts)
            shown = ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
            line += f"; pacts: {shown}"
        if self.deployments:
            words = Counter(answer.word for answer in self.deployments)
            shown = ", ".join(f"{n} {word}" for word, n in sorted(words.items()))
            line += f"; can-i-deploy to {self.deployments[0].environment}: {shown}"
        return line
