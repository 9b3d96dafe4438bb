"""The two sides being compared, and how a finding is built and placed."""

from __future__ import annotations

from dataclasses import dataclass

from harness.contracts.refs import Location, escape_token
from harness.gate.lines import line_of
from harness.gate.loading import ContractSet, Document
from harness.gate.model import Finding, Place, Severity, Usage
from harness.gate.rules import RULES


@dataclass(frozen=True)
class Sides:
    base: ContractSet
    head: ContractSet

    def place(self, at: Location) -> Place:
        """File relative to its contracts folder, JSON pointer, and line when known."""
        for side, name in ((self.head, "head"), (self.base, "base")):
            if at.file.is_relative_to(side.root):
                line = line_of(at.file, at.pointer)
                return Place(
                    side.rel(at.file), at.pointer, line, "head" if name == "head" else "base"
                )
        return Place(at.file.as_posix(), at.pointer, line_of(at.file, at.pointer))


@dataclass
class DocumentPairBase:
    """A base/head pair of one contract file (either may be missing: added, removed)."""

    base: Document | None
    head: Document | None
    sides: Sides

    @property
    def contract(self) -> str:
        """The file findings are reported in: the head's, else the base's."""
        document = self.head or self.base
        assert document is not None
        return document.rel

    @property
    def provider(self) -> str:
        """The provider's name, as pacts know it (the base file's name wins)."""
        document = self.base or self.head
        assert document is not None
        return document.name


def finding(
    rule_id: str,
    *,
    contract: str,
    subject: str,
    message: str,
    place: Place,
    pointer: str,
    usage: Usage | None,
    severity: Severity | None = None,
) -> Finding:
    """A finding of a registered rule; the rule gives the default severity and the why."""
    rule = RULES[rule_id]
    return Finding(
        rule=rule_id,
        severity=severity or rule.severity,
        contract=contract,
        subject=subject,
        message=message,
        why=rule.breaks,
        place=place,
        pointer=pointer,
        usage=usage,
    )


def field_text(path: tuple[str, ...]) -> str:
    """``("items", "[]", "id")`` -> ``items[].id``; a map value is ``{*}``."""
    text = ""
    for token in path:
        if token == "[]":
            text += "[]"
        elif token == "{}":
            text += "{*}"
        else:
            text += f".{token}" if text else token
    return text


def field_pointer(path: tuple[str, ...]) -> str:
    """The schema keywords a field path goes through, as a JSON pointer suffix."""
    parts = []
    for token in path:
        if token == "[]":
            parts.append("/items")
        elif token == "{}":
            parts.append("/additionalProperties")
        else:
            parts.append(f"/properties/{escape_token(token)}")
    return "".join(parts)
