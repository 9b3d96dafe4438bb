"""AsyncAPI runtime expressions: ``$message.header#/name`` and ``$message.payload#/a/b``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from harness.contracts.refs import split_pointer

_PREFIXES: Final = {"$message.header": "header", "$message.payload": "payload"}


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


def parse_expression(expression: str) -> tuple[str, list[str]]:
    """Split into ("header" | "payload", pointer tokens); ValueError when malformed."""
    prefix, hash_, pointer = expression.partition("#")
    if prefix not in _PREFIXES or not hash_:
        raise ValueError(
            f"{expression!r} is not a runtime expression of the form "
            "'$message.header#/name' or '$message.payload#/path'"
        )
    return _PREFIXES[prefix], split_pointer(pointer)


def evaluate(expression: str, *, headers: Mapping[str, Any], payload: Any) -> Any:
    """The value the expression names in a message, or MISSING when it is absent."""
    part, tokens = parse_expression(expression)
    node: Any = headers if part == "header" else payload
    for token in tokens:
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return MISSING
    return node
