"""JSON pointers and ``$ref`` resolution across a document and the files it references.

A ``Resolver`` follows local refs (``#/components/...``) and relative-file refs
(``common.yaml#/components/schemas/Money``, relative to the referring file). Remote
(``http:``) refs are refused: the harness works offline, so vendor the file instead.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from harness.contracts.errors import ContractError
from harness.contracts.source import read_document

# Keywords whose values are data, not schemas: a "$ref" key inside them is not a reference.
DATA_KEYWORDS = frozenset({"const", "enum", "default", "example", "examples"})


def escape_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def split_pointer(pointer: str) -> list[str]:
    """``/a~1b/0`` -> ``["a/b", "0"]``; the empty pointer is the whole document."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"a JSON pointer starts with '/': {pointer!r}")
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]


def join_pointer(tokens: Iterable[str | int]) -> str:
    return "".join(f"/{escape_token(token)}" for token in tokens)


@dataclass(frozen=True)
class Location:
    """A node of a contract: the file it is in and its JSON pointer there."""

    file: Path
    pointer: str = ""

    def child(self, *tokens: str | int) -> Location:
        return Location(self.file, self.pointer + join_pointer(tokens))

    def error(self, problem: str, *, hint: str | None = None) -> ContractError:
        return ContractError(problem, source=self.file, pointer=self.pointer or "/", hint=hint)

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}"


def _did_you_mean(token: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(token, [str(option) for option in options], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Resolver:
    """Follows ``$ref`` chains; loads each referenced file once."""

    def __init__(self, root: Path, document: Any) -> None:
        self.root = Location(Path(os.path.normpath(root)))
        self._documents: dict[Path, Any] = {self.root.file: document}

    def follow(self, node: Any, at: Location) -> tuple[Any, Location]:
        """Return the node a ``$ref`` chain ends at, and where it is."""
        seen = [at]
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            target = self._target(node["$ref"], at)
            if target in seen:
                chain = " -> ".join(str(location) for location in [*seen, target])
                raise at.error(f"$ref cycle: {chain}")
            node, at = self._lookup(target, node["$ref"], at), target
            seen.append(at)
        return node, at

    def inline(self, node: Any, at: Location) -> Any:
        """A copy of ``node`` with every ``$ref`` replaced by its target (for schemas)."""
        return self._inline(node, at, ())

    def _inline(self, node: Any, at: Location, stack: tuple[Location, ...]) -> Any:
        node, at = self.follow(node, at)
        if at in stack:
            raise at.error(
                "recursive schema: it refers to itself through $ref, which the contract "
                "checks cannot inline",
                hint="describe the recursion to a fixed depth instead",
            )
        stack = (*stack, at)
        if isinstance(node, Mapping):
            return {
                key: value if key in DATA_KEYWORDS else self._inline(value, at.child(key), stack)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [self._inline(item, at.child(index), stack) for index, item in enumerate(node)]
        return node

    def _target(self, ref: str, at: Location) -> Location:
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            raise at.child("$ref").error(
                f"remote $ref {ref!r} is not supported (the harness works offline)",
                hint="save the referenced file next to the contract and use a relative path",
            )
        file = at.file
        if parts.path:
            file = Path(os.path.normpath(at.file.parent / unquote(parts.path)))
        return Location(file, unquote(parts.fragment))

    def _document(self, file: Path, ref: str, at: Location) -> Any:
        if file not in self._documents:
            if not file.is_file():
                raise at.child("$ref").error(f"$ref {ref!r}: file {file} not found")
            self._documents[file] = read_document(file)
        return self._documents[file]

    def _lookup(self, target: Location, ref: str, at: Location) -> Any:
        node = self._document(target.file, ref, at)
        try:
            tokens = split_pointer(target.pointer)
        except ValueError as exc:
            raise at.child("$ref").error(f"$ref {ref!r}: {exc}") from None
        walked = Location(target.file)
        for token in tokens:
            # Tools commonly let a pointer pass through a reference object; so do we.
            if isinstance(node, Mapping) and token not in node and "$ref" in node:
                node, walked = self.follow(node, walked)
            node = self._step(node, token, walked, ref, at)
            walked = walked.child(token)
        return node

    @staticmethod
    def _step(node: Any, token: str, walked: Location, ref: str, at: Location) -> Any:
        if isinstance(node, Mapping) and token in node:
            return node[token]
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            return node[int(token)]
        options = node.keys() if isinstance(node, Mapping) else ()
        where = walked.pointer or "the document root"
        raise at.child("$ref").error(
            f"$ref {ref!r} points to nothing: {where} has no {token!r}"
            + _did_you_mean(token, options)
        )
