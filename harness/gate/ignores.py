"""Justified ignores: breaking changes a team accepted, each with a reason and an expiry.

``contracts/gate-ignore.yaml`` is a list of entries::

    - rule: response-property-removed         # a rule id (harness gate --list-rules)
      where: openapi/orders.yaml#/paths/~1orders~1{order_id}/get/responses/200/*
      reason: the web app stopped reading it in 4.2; mobile pinned to /v2
      expires: 2027-03-31                     # optional; after it the entry stops applying

``where`` matches a finding's location (``file#pointer``, as printed by the gate) or
its subject (``GET /orders/{order_id} -> 200 application/json: note``); ``*`` and ``?``
are wildcards. An expired entry is reported, and the finding counts again.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from harness.gate.errors import GateInputError
from harness.gate.lines import line_of
from harness.gate.model import Finding
from harness.gate.rules import RULES, closest_rule

FIELDS = ("rule", "where", "reason", "expires")


@dataclass(frozen=True)
class Ignore:
    rule: str
    where: str
    reason: str
    expires: dt.date | None
    line: int | None

    def live(self, today: dt.date) -> bool:
        return self.expires is None or today <= self.expires

    def covers(self, found: Finding) -> bool:
        if not fnmatch.fnmatchcase(found.rule, self.rule):
            return False
        places = (found.where, found.subject, str(found.place))
        return any(fnmatch.fnmatchcase(place, self.where) for place in places)


def load_ignores(path: Path) -> list[Ignore]:
    """The entries of an ignore file; a missing file means none."""
    if not path.is_file():
        return []
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark else ""
        raise GateInputError(f"{path}{line}: YAML syntax error: {exc.problem}") from None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise GateInputError(
            f"{path}: expected a list of entries (- rule: ..., where: ..., reason: ...)"
        )
    return [_entry(path, index, item) for index, item in enumerate(raw)]


def _entry(path: Path, index: int, item: Any) -> Ignore:
    line = line_of(path, f"/{index}")
    where = f"{path}:{line}" if line else f"{path}#/{index}"
    if not isinstance(item, Mapping):
        raise GateInputError(f"{where}: an entry is a mapping with rule, where and reason")
    unknown = sorted(set(item) - set(FIELDS))
    if unknown:
        raise GateInputError(
            f"{where}: unknown field {unknown[0]!r}; an entry has {', '.join(FIELDS)}"
        )
    missing = [key for key in ("rule", "where", "reason") if not str(item.get(key) or "").strip()]
    if missing:
        raise GateInputError(
            f"{where}: the entry lacks {', '.join(missing)}",
            hint="every accepted breaking change names its rule and location and says why",
        )
    rule = str(item["rule"])
    if not any(fnmatch.fnmatchcase(known, rule) for known in RULES):
        close = closest_rule(rule)
        hint = f"did you mean {close!r}?" if close else "harness gate --list-rules lists them"
        raise GateInputError(f"{where}: unknown rule {rule!r}", hint=hint)
    return Ignore(
        rule, str(item["where"]), str(item["reason"]), _expiry(item.get("expires"), where), line
    )


def _expiry(value: Any, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise GateInputError(
            f"{where}: expires must be a date like 2027-01-31, not {value!r}"
        ) from None


def apply_ignores(
    findings: list[Finding], ignores: list[Ignore], today: dt.date
) -> tuple[list[Finding], list[Ignore]]:
    """Findings with accepted ones marked, and the expired entries (still worth saying)."""
    live = [entry for entry in ignores if entry.live(today)]
    marked = []
    for found in findings:
        entry = (
            next((e for e in live if e.covers(found)), None) if found.severity != "info" else None
        )
        marked.append(found.accepted(entry.reason) if entry else found)
    return marked, [entry for entry in ignores if not entry.live(today)]
