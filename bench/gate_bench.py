"""How long ``harness gate`` takes: on this project's contracts, and on a generated pair of
specs with 1,000 operations and deep schemas. Budgets: 2 s and 10 s.

    python bench/gate_bench.py [--operations 1000] [--depth 8] [--runs 3]

Each figure is the best of ``--runs`` runs, from reading the files to the rendered
report, with the cost of merely parsing the same files (the floor any tool pays) measured
in the same run as the baseline. The project figure is also measured as a fresh
``harness gate`` process (interpreter start and imports included).
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from harness.contracts.source import read_document
from harness.gate.reporters import FORMATS, ReportOptions
from harness.gate.runner import GateOptions, compare_folders, paused_gc
from harness.gate.verdict import Verdict

PROJECT = Path(__file__).resolve().parents[1]
BUDGETS = {"project": 2.0, "generated": 10.0}


def gate(base: Path, head: Path) -> Verdict:
    """What ``harness gate --base BASE --head HEAD`` does, minus the interpreter start."""
    verdict = compare_folders(base, head, GateOptions(), base_label="base", head_label="head")
    FORMATS["text"](verdict, ReportOptions())
    return verdict


def parse_only(*folders: Path) -> None:
    """The baseline: only reading the same files, under the same conditions as the gate."""
    with paused_gc():
        for folder in folders:
            for path in sorted(folder.glob("*/*.yaml")):
                read_document(path)


def best(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


# --- the generated pair -------------------------------------------------------------


def deep_schema(index: int, depth: int) -> dict[str, Any]:
    """An object ``depth`` levels deep: scalars, an enum, an array and a oneOf per level."""
    node: dict[str, Any] = {"type": "string", "maxLength": 40}
    for level in range(depth):
        node = {
            "type": "object",
            "required": ["id", "child"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "count": {"type": "integer", "minimum": 0, "maximum": 1000 + index},
                "state": {"type": "string", "enum": ["NEW", "OPEN", "DONE"]},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 10},
                "price": {
                    "oneOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]+$"}]
                },
                "note": {"type": ["string", "null"]},
                "child": node,
            },
            "title": f"Level{level}",
        }
    return node


def generated_pair(
    operations: int, depth: int, *, every: int = 20
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A base spec, and a head with breaking changes in every ``every``-th schema and
    operation (20: a large pull request; 1: everything changed, the engine's worst case)."""
    components = {f"Thing{i}": deep_schema(i, depth) for i in range(operations // 5)}
    paths: dict[str, Any] = {}
    for i in range(operations // 2):
        thing = {"$ref": f"#/components/schemas/Thing{i % len(components)}"}
        json_body = {"application/json": {"schema": thing}}
        paths[f"/things{i}/{{id}}"] = {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {
                "operationId": f"getThing{i}",
                "parameters": [{"name": "expand", "in": "query", "schema": {"type": "boolean"}}],
                "responses": {"200": {"description": "ok", "content": json_body}},
            },
            "put": {
                "operationId": f"putThing{i}",
                "requestBody": {"required": True, "content": json_body},
                "responses": {"200": {"description": "ok", "content": json_body}},
            },
        }
    base = {
        "openapi": "3.1.0",
        "info": {"title": "generated", "version": "1"},
        "paths": paths,
        "components": {"schemas": components},
    }
    head = copy.deepcopy(base)
    schemas = head["components"]["schemas"]
    for i in range(0, len(schemas), every):
        deepest = schemas[f"Thing{i}"]
        for _ in range(depth - 1):
            deepest = deepest["properties"]["child"]
        deepest["properties"]["state"]["enum"].append("ARCHIVED")  # breaking in responses
        del deepest["properties"]["note"]  # removed from responses
    for i in range(0, len(paths), every):
        get = head["paths"][f"/things{i}/{{id}}"]["get"]
        get["parameters"][0]["required"] = True  # breaking for callers
    return base, head


def write(folder: Path, document: dict[str, Any]) -> Path:
    (folder / "openapi").mkdir(parents=True)
    (folder / "openapi" / "generated.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    return folder


# --- runs -------------------------------------------------------------------------


def report(name: str, seconds: float, floor: float, extra: str) -> bool:
    budget = BUDGETS[name]
    ok = seconds < budget
    print(
        f"{name:<10} {seconds:6.3f} s  (budget {budget:g} s: {budget / seconds:5.1f}x under; "
        f"parsing alone {floor:.3f} s, gate/parse {seconds / floor:4.1f}x)  {extra}"
        + ("" if ok else "  OVER BUDGET")
    )
    return ok


def project(runs: int, scratch: Path) -> bool:
    contracts = PROJECT / "contracts"
    head = scratch / "project-head"
    for kind in ("openapi", "asyncapi"):
        shutil.copytree(contracts / kind, head / kind)
    floor, _ = best(runs, lambda: parse_only(contracts, head))
    seconds, verdict = best(runs, lambda: gate(contracts, head))
    assert isinstance(verdict, Verdict)
    ok = report(
        "project",
        seconds,
        floor,
        f"{len(verdict.documents)} contracts, verdict exit {verdict.exit_code}",
    )
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness.cli.main",
            "gate",
            "--base",
            str(contracts),
            "--head",
            str(head),
        ],
        capture_output=True,
        check=False,
    )
    process = time.perf_counter() - start
    print(f"{'':<10} {process:6.3f} s  as a fresh `harness gate` process (exit {done.returncode})")
    return ok and process < BUDGETS["project"]


def generated(runs: int, operations: int, depth: int, scratch: Path, *, every: int) -> bool:
    base_doc, head_doc = generated_pair(operations, depth, every=every)
    folder = scratch / f"gen-{every}"
    base, head = write(folder / "base", base_doc), write(folder / "head", head_doc)
    size = sum(p.stat().st_size for p in (base / "openapi").iterdir())
    floor, _ = best(runs, lambda: parse_only(base, head))
    seconds, verdict = best(runs, lambda: gate(base, head))
    assert isinstance(verdict, Verdict)
    ops = sum(len([m for m in item if m != "parameters"]) for item in base_doc["paths"].values())
    changed = "every schema" if every == 1 else f"every {every}th schema"
    extra = (
        f"{ops} operations, depth {depth}, {size / 1e6:.1f} MB per spec, {changed} changed, "
        f"{len(verdict.failing)} breaking findings"
    )
    return report("generated", seconds, floor, extra)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=1000)
    parser.add_argument("--depth", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gate-bench-") as scratch:
        ok = project(args.runs, Path(scratch))
        ok = generated(args.runs, args.operations, args.depth, Path(scratch), every=20) and ok
        ok = generated(args.runs, args.operations, args.depth, Path(scratch), every=1) and ok
    print(json.dumps({"within_budgets": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
