"""What the gate produces: findings, each with a rule, a severity, a place and a reason.

A ``Finding`` says what changed between the base and the head contracts and whom it
breaks; its ``Usage`` says what a consumer must touch to be broken by it, so the pacts
can name the consumers it breaks (see ``consumers.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Literal


class Severity(StrEnum):
    BREAKING = "breaking"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Sort key: breaking first."""
        return (Severity.BREAKING, Severity.WARNING, Severity.INFO).index(self)


@dataclass(frozen=True)
class Place:
    """A node of a contract: file (relative to the contracts folder), JSON pointer, line."""

    file: str
    pointer: str
    line: int | None = None
    side: Literal["base", "head"] = "head"  # removed things are shown where they were

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}#{self.pointer or '/'}"
        return where if self.side == "head" else f"{where} (base)"


# What a consumer must do with the changed thing to be broken by the change:
#   reads: its expected response / message contains the field (or the status, header)
#   sends: its request contains the field or parameter
#   omits: its request lacks the field, parameter or body that is now required
#   any:   it uses the operation or channel at all
Test = Literal["reads", "sends", "omits", "any"]
Part = Literal["operation", "parameter", "request", "status", "response", "header", "message"]


@dataclass(frozen=True)
class Usage:
    """The part of a contract a finding is about, in terms a pact interaction can match."""

    provider: str
    part: Part
    test: Test = "any"
    method: str | None = None  # HTTP: upper-case method
    path: str | None = None  # HTTP: path template as written in the base contract
    topic: str | None = None  # AsyncAPI: the Kafka topic
    status: str | None = None  # HTTP responses: "200", "4XX", "default"
    name: str | None = None  # parameter or header name
    location: str | None = None  # parameter location: query, header, path, cookie
    section: str | None = None  # message part: payload, headers, key
    field: tuple[str, ...] = ()  # field path: names, "[]" (array item), "{}" (map value)
    values: tuple[object, ...] = ()  # enum values the change is about (removed, added)


@dataclass(frozen=True)
class Finding:
    """One change between base and head, judged."""

    rule: str
    severity: Severity
    contract: str  # the contract file, relative to the contracts folder
    subject: str  # what it is about: "GET /orders/{id} -> 200 application/json: items[].id"
    message: str  # what changed
    why: str  # whom it breaks and why (from the rule)
    place: Place  # where in the head contract (or the base one, for removed things)
    pointer: str = ""  # logical JSON pointer from the operation/message (may cross a $ref)
    usage: Usage | None = None
    consumers: tuple[str, ...] = ()  # consumers (from pacts) the change breaks
    ignored: str | None = None  # the reason from gate-ignore.yaml, when accepted
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def where(self) -> str:
        """``file#pointer`` (logical): the identity used by ignores and reports."""
        return f"{self.contract}#{self.pointer or self.place.pointer}"

    def with_consumers(self, consumers: tuple[str, ...]) -> Finding:
        return replace(self, consumers=consumers)

    def accepted(self, reason: str) -> Finding:
        return replace(self, ignored=reason)

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.contract, self.severity.rank, self.subject, self.rule, self.pointer)
