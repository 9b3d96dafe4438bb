"""Errors of the gate. Every one means "unusable input": the CLI exits 2 with the message::

HarnessError (harness.errors)
 +-- ContractError (harness.contracts)  a contract file: file, line or JSON pointer, what
 +-- GateInputError                     a base/head that cannot be read (git, folders),
                                        an ignore file, a pact or a verification result
"""

from __future__ import annotations

from harness.errors import HarnessError


class GateInputError(HarnessError):
    """The gate cannot read what it was asked to compare; the message says how to fix it."""

    def __init__(self, problem: str, *, hint: str | None = None) -> None:
        self.problem = problem
        self.hint = hint
        super().__init__(problem + (f"\n  hint: {hint}" if hint else ""))
