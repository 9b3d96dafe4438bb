"""Security requirements, reduced to what a client must hold.

A requirement list is OR-ed alternatives, each an AND of schemes with scopes. Schemes
are identified by their definition (type, scheme, location, flows), not their name, so
renaming an entry of ``securitySchemes`` is a refactor.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.gate.loading import Document
from harness.gate.openapi.model import Operation
from harness.gate.schema.shape import canonical

# scheme identity -> scopes; one alternative of the requirement list
Alternative = frozenset[tuple[str, frozenset[str]]]


def requirements(op: Operation) -> tuple[list[Alternative], dict[str, str]] | None:
    """The alternatives, and scheme identity -> name; None when anonymous calls are allowed."""
    raw = op.node.get("security", op.document.data.get("security"))
    if not isinstance(raw, list) or not raw or any(not alt for alt in raw):
        return None
    names: dict[str, str] = {}
    alternatives = []
    for alternative in raw:
        if not isinstance(alternative, Mapping):
            continue
        items = []
        for name, scopes in alternative.items():
            identity = _identity(op.document, name)
            names[identity] = name
            items.append((identity, frozenset(str(s) for s in scopes or ())))
        alternatives.append(frozenset(items))
    return alternatives, names


def _identity(document: Document, name: str) -> str:
    schemes = (document.data.get("components") or {}).get("securitySchemes") or {}
    raw = schemes.get(name)
    if raw is None:
        return f"name:{name}"
    at = document.root.child("components", "securitySchemes", name)
    node, _ = document.resolver.follow(raw, at)
    return canonical(_essential(node))


def _essential(node: Any) -> Any:
    """The definition without prose and without the scopes a flow offers."""
    if isinstance(node, Mapping):
        return {
            key: _essential(value)
            for key, value in node.items()
            if key not in ("description", "scopes", "bearerFormat") and not key.startswith("x-")
        }
    return node


def unmet(base: list[Alternative], head: list[Alternative]) -> list[Alternative]:
    """Base alternatives a client may hold that satisfy no head alternative."""
    return [held for held in base if not any(_satisfies(held, needed) for needed in head)]


def _satisfies(held: Alternative, needed: Alternative) -> bool:
    owned = dict(held)
    return all(scheme in owned and scopes <= owned[scheme] for scheme, scopes in needed)


def describe(alternative: Alternative, names: Mapping[str, str]) -> str:
    parts = []
    for identity, scopes in sorted(alternative, key=lambda item: names.get(item[0], item[0])):
        shown = names.get(identity, identity)
        parts.append(f"{shown}[{', '.join(sorted(scopes))}]" if scopes else shown)
    return " + ".join(parts) or "none"
