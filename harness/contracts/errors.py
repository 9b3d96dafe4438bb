"""Errors of the contract loaders and checkers::

HarnessError (harness.errors)
 +-- ContractError            a contract document cannot be used: names the file, the
                              line or JSON pointer, and what is wrong
AssertionError
 +-- RecordViolationError     a Kafka record breaks the contract (a test failure, not a
                              crash: pytest and Allure show it as a failed check)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from harness.errors import HarnessError


class ContractError(HarnessError):
    """A contract file is unreadable, malformed or inconsistent.

    ``str()`` reads ``file:line:column: problem`` for syntax errors and
    ``file#/json/pointer: problem`` for everything found after parsing.
    """

    def __init__(
        self,
        problem: str,
        *,
        source: Path | str | None = None,
        pointer: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.problem = problem
        self.source = Path(source) if source is not None else None
        self.pointer = pointer
        self.line = line
        self.column = column
        self.hint = hint
        super().__init__(self._render())

    @property
    def where(self) -> str:
        """The location part of the message: file, then line or JSON pointer."""
        where = str(self.source) if self.source is not None else "<document>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        elif self.pointer:
            where += f"#{self.pointer}"
        return where

    def _render(self) -> str:
        text = f"{self.where}: {self.problem}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class RecordViolationError(AssertionError):
    """A record does not match its contract; carries every violation found."""

    def __init__(self, title: str, violations: Sequence[object]) -> None:
        self.title = title
        self.violations = tuple(violations)
        lines = [title, *(f"  {violation}" for violation in self.violations)]
        super().__init__("\n".join(lines))
