"""A registry of checks: a rule module adds a function with a decorator, the differ runs
them all in order. One registry per thing compared (document pair, operation pair...)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from harness.gate.model import Finding

Subject = TypeVar("Subject")
Check = Callable[[Subject], Iterable[Finding]]


class Registry(Generic[Subject]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._checks: list[Check[Subject]] = []

    def check(self, function: Check[Subject]) -> Check[Subject]:
        """Decorator: run ``function`` for every subject of this registry."""
        self._checks.append(function)
        return function

    def run(self, subject: Subject) -> list[Finding]:
        return [found for check in self._checks for found in check(subject)]

    def __len__(self) -> int:
        return len(self._checks)
