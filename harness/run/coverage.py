"""What the suites exercised, against what the contracts document.

The universe is every (contract, operationId, documented status) of the OpenAPI
documents and every (channel, message) of the AsyncAPI document; the suites' records
(harness.suites.coverage) are matched to it: a concrete request path to its template,
a message name to its channel. Pure logic apart from reading the files.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from harness.contracts.asyncapi import load_asyncapi
from harness.target import Target

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
PARAM = re.compile(r"\\\{[^}/]+\\\}")


@dataclass(frozen=True)
class Operation:
    contract: str
    method: str
    template: str
    operation_id: str
    pattern: re.Pattern[str]


@dataclass
class Coverage:
    """rows: (kind, where, what, status-or-message) -> suites that touched it."""

    rows: dict[tuple[str, str, str, str], set[str]] = field(default_factory=dict)
    undocumented: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def covered(self) -> int:
        return sum(1 for suites in self.rows.values() if suites)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0


def operations_of(contract: str, document: dict[str, Any]) -> list[tuple[Operation, list[str]]]:
    found = []
    for template, item in document.get("paths", {}).items():
        pattern = re.compile("^" + PARAM.sub("[^/]+", re.escape(template)) + "$")
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                operation = Operation(
                    contract, method.upper(), template, op.get("operationId", ""), pattern
                )
                found.append((operation, sorted(str(s) for s in op.get("responses", {}))))
    return found


def universe(target: Target) -> tuple[Coverage, dict[str, list[Operation]]]:
    coverage = Coverage()
    by_contract: dict[str, list[Operation]] = defaultdict(list)
    for path in sorted(target.contracts.openapi.glob("*.yaml")):
        document = yaml.safe_load(path.read_text())
        for operation, statuses in operations_of(path.stem, document):
            by_contract[path.stem].append(operation)
            for status in statuses:
                key = ("http", path.stem, f"{operation.method} {operation.template}", status)
                coverage.rows[key] = set()
    if target.contracts.asyncapi is not None and target.contracts.asyncapi.exists():
        index = load_asyncapi(target.contracts.asyncapi)
        for channel in index.channels.values():
            for message in channel.messages:
                coverage.rows[("message", "bus", channel.topic, message.name)] = set()
    return coverage, by_contract


def apply_records(
    coverage: Coverage, by_contract: dict[str, list[Operation]], records: list[dict[str, Any]]
) -> Coverage:
    for record in records:
        suite = str(record.get("suite", "?"))
        if record.get("kind") == "http":
            _apply_http(coverage, by_contract, record, suite)
        elif record.get("kind") == "message":
            key = ("message", "bus", str(record["channel"]), str(record["message"]))
            if key in coverage.rows:
                coverage.rows[key].add(suite)
    return coverage


def _apply_http(
    coverage: Coverage,
    by_contract: dict[str, list[Operation]],
    record: dict[str, Any],
    suite: str,
) -> None:
    contract, method, path = str(record["service"]), str(record["method"]).upper(), record["path"]
    path = str(path).split("?", 1)[0]
    for operation in by_contract.get(contract, []):
        if operation.method == method and operation.pattern.match(path):
            where = f"{method} {operation.template}"
            key = ("http", contract, where, str(record["status"]))
            if key in coverage.rows:
                coverage.rows[key].add(suite)
            else:
                coverage.undocumented.setdefault((contract, where, key[3]), set()).add(suite)
            return


def read_records(directory: Path) -> list[dict[str, Any]]:
    records = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                records.append(json.loads(line))
    return records


def measure(target: Target, directory: Path) -> Coverage:
    coverage, by_contract = universe(target)
    return apply_records(coverage, by_contract, read_records(directory))


def render(coverage: Coverage, *, markdown: bool = False) -> str:
    """One line per operation or channel: each status/message and the suites on it."""
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for (kind, where, what, item), suites in sorted(coverage.rows.items()):
        mark = ",".join(sorted(suites)) if suites else "-"
        grouped[(kind, where, what)].append(f"{item}:{mark}")
    lines = []
    if markdown:
        lines += ["| contract | operation / channel | status or message: suites |", "|---|---|---|"]
    for (_, where, what), cells in grouped.items():
        text = "  ".join(cells)
        lines.append(
            f"| {where} | {what} | {text} |" if markdown else f"{where:<14} {what:<44} {text}"
        )
    for (contract, where, status), suites in sorted(coverage.undocumented.items()):
        note = f"undocumented status {status} seen by {','.join(sorted(suites))}"
        lines.append(
            f"| {contract} | {where} | {note} |"
            if markdown
            else f"{contract:<14} {where:<44} {note}"
        )
    summary = f"coverage: {coverage.covered}/{coverage.total} ({coverage.percent:.1f}%)"
    return "\n".join([*lines, "", summary])
