"""Findings of ``harness migrate check`` (the gate's severity model), destructive
operations spotted in migration scripts, and justified ignores (pure)."""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from harness.errors import ConfigError

DESTRUCTIVE = {
    "drop_table": "drops a table and its data",
    "drop_column": "drops a column and its data",
    "drop_constraint": "drops a constraint that readers may rely on",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # breaking | warning | info
    service: str
    where: str  # file:line or database
    why: str

    def line(self) -> str:
        return f"{self.severity:<8} {self.rule:<22} {self.service:<14} {self.where}: {self.why}"


def destructive_operations(service: str, script: Path) -> list[Finding]:
    """Calls in ``upgrade()`` that lose data: drops, and type changes (narrowing)."""
    tree = ast.parse(script.read_text(), filename=str(script))
    upgrade = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade"), None
    )
    if upgrade is None:
        return []
    found = []
    for node in sorted(ast.walk(upgrade), key=lambda n: getattr(n, "lineno", 0)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        why = DESTRUCTIVE.get(name)
        if name == "alter_column" and any(k.arg == "type_" for k in node.keywords):
            why = "changes a column's type; a narrower type loses or rejects existing data"
        if why:
            target = _first_string(node)
            found.append(
                Finding(
                    "destructive-migration",
                    "breaking",
                    service,
                    f"{script.name}:{node.lineno}",
                    f"{name}({target}) {why}",
                )
            )
    return found


def _first_string(node: ast.Call) -> str:
    for arg in node.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return repr(arg.value)
    return ""


@dataclass(frozen=True)
class Ignore:
    rule: str
    service: str
    where: str
    reason: str
    expires: dt.date | None

    def covers(self, finding: Finding, today: dt.date) -> bool:
        live = self.expires is None or today <= self.expires
        return live and (self.rule, self.service, self.where) == (
            finding.rule,
            finding.service,
            finding.where,
        )


def load_ignores(path: Path) -> list[Ignore]:
    """Accepted findings: rule, service, where, reason (required), expires (optional)."""
    if not path.exists():
        return []
    try:
        raw: Any = yaml.safe_load(path.read_text()) or []
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: expected a list of accepted findings")
    ignores = []
    for index, entry in enumerate(raw):
        missing = [k for k in ("rule", "service", "where", "reason") if not entry.get(k)]
        if missing:
            raise ConfigError(f"{path}: entry {index} lacks {missing}; every ignore needs a reason")
        expires = entry.get("expires")
        if expires is not None and not isinstance(expires, dt.date):
            raise ConfigError(f"{path}: entry {index}: expires must be a date like 2027-01-31")
        ignores.append(
            Ignore(entry["rule"], entry["service"], entry["where"], entry["reason"], expires)
        )
    return ignores


def apply_ignores(
    findings: list[Finding], ignores: list[Ignore], today: dt.date
) -> tuple[list[Finding], list[Finding]]:
    """(still open, accepted)."""
    accepted = [f for f in findings if any(i.covers(f, today) for i in ignores)]
    return [f for f in findings if f not in accepted], accepted
