"""Compare a running service's OpenAPI with its contract on what a client would notice.

Both documents are reduced to a canonical form: $refs resolved inline (so moving a schema
behind a $ref or renaming a component is not drift), and prose removed (descriptions,
summaries, titles, examples, links, tags). What is left is compared operation by
operation; each difference is reported with its JSON pointer.
"""

from __future__ import annotations

from typing import Any

PROSE = frozenset(
    {
        "description",
        "summary",
        "title",
        "examples",
        "example",
        "links",
        "tags",
        "externalDocs",
        "deprecated",
    }
)
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _resolve(node: Any, root: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            if ref in seen:
                return {"$recursive": ref.rsplit("/", 1)[-1]}
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            return _resolve(target, root, (*seen, ref))
        return {k: _resolve(v, root, seen) for k, v in node.items() if k not in PROSE}
    if isinstance(node, list):
        return [_resolve(v, root, seen) for v in node]
    return node


def canonical_operations(document: dict[str, Any]) -> dict[str, Any]:
    """``{"METHOD /path": {parameters, requestBody, responses, security}}``, refs resolved."""
    result: dict[str, Any] = {}
    for path, item in document.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            params = [*shared, *operation.get("parameters", [])]
            resolved = _resolve(
                {
                    "operationId": operation.get("operationId"),
                    "parameters": params,
                    "requestBody": operation.get("requestBody"),
                    "responses": operation.get("responses", {}),
                    "security": operation.get("security", document.get("security")),
                },
                document,
            )
            resolved["parameters"] = sorted(
                resolved["parameters"], key=lambda p: (p.get("in", ""), p.get("name", ""))
            )
            result[f"{method.upper()} {path}"] = resolved
    return result


def drift(contract: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Human-readable differences; empty when the service keeps its contract."""
    expected, served = canonical_operations(contract), canonical_operations(actual)
    problems = [
        f"{op}: served but not in the contract" for op in sorted(set(served) - set(expected))
    ]
    problems += [
        f"{op}: in the contract but not served" for op in sorted(set(expected) - set(served))
    ]
    for op in sorted(set(expected) & set(served)):
        problems += _diff(expected[op], served[op], f"{op} ")
    return problems


def _diff(expected: Any, actual: Any, where: str) -> list[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual), key=str):
            pointer = f"{where}/{key}"
            if key not in actual:
                found.append(f"{pointer}: in the contract, not served")
            elif key not in expected:
                found.append(f"{pointer}: served, not in the contract")
            else:
                found += _diff(expected[key], actual[key], pointer)
        return found
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [
            d
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for d in _diff(e, a, f"{where}/{i}")
        ]
    if expected != actual:
        return [f"{where}: contract has {_short(expected)}, service serves {_short(actual)}"]
    return []


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
