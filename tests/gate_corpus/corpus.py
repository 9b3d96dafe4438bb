"""The gate's corpus: base/head pairs of contracts, each naming a rule and a verdict.

One YAML file per case::

    rule: response-property-removed      # the rule it exercises ("refactor": no finding at all)
    verdict: breaking                    # breaking (exit 1) or compatible (exit 0)
    about: why this case exists          # one line
    policy: consumers                    # optional (default strict)
    consumers: [web]                     # optional: the consumers the rule's finding names
    base: {openapi/api.yaml: {...}}      # files of the base contracts folder
    head: {openapi/api.yaml: {...}}      # files of the head contracts folder
    shared: {pacts/web-api.json: {...}}  # optional: files written to both sides

A file's content is a mapping (written as YAML, or JSON for ``.json``) or a string
(written as it is).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from harness.gate.loading import load_contract_set
from harness.gate.runner import GateOptions, run_gate
from harness.gate.verdict import Verdict

CORPUS = Path(__file__).resolve().parent
TODAY = dt.date(2026, 6, 1)


@dataclass(frozen=True)
class Case:
    path: Path
    rule: str
    verdict: str
    about: str
    base: dict[str, Any]
    head: dict[str, Any]
    shared: dict[str, Any] = field(default_factory=dict)
    policy: str = "strict"
    consumers: tuple[str, ...] | None = None

    @property
    def id(self) -> str:
        return self.path.relative_to(CORPUS).with_suffix("").as_posix()


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CORPUS.rglob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        consumers = raw.get("consumers")
        cases.append(
            Case(
                path=path,
                rule=raw["rule"],
                verdict=raw["verdict"],
                about=raw.get("about", ""),
                base=raw.get("base") or {},
                head=raw.get("head") or {},
                shared=raw.get("shared") or {},
                policy=raw.get("policy", "strict"),
                consumers=tuple(consumers) if consumers is not None else None,
            )
        )
    return cases


def write_side(folder: Path, files: dict[str, Any]) -> Path:
    """Write a contracts folder; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            text = content
        elif name.endswith(".json"):
            text = json.dumps(content, indent=2)
        else:
            text = yaml.safe_dump(content, sort_keys=False)
        target.write_text(text, encoding="utf-8")
    return folder


def judge(case: Case, scratch: Path) -> Verdict:
    base = write_side(scratch / "base", {**case.shared, **case.base})
    head = write_side(scratch / "head", {**case.shared, **case.head})
    options = GateOptions(policy=case.policy, today=TODAY)  # type: ignore[arg-type]
    return run_gate(
        load_contract_set(base, label="base"), load_contract_set(head, label="head"), options
    )
