"""Read one side of the comparison: a contracts folder with ``openapi/`` and ``asyncapi/``.

Each top-level file of ``openapi/`` must be an OpenAPI 3.0/3.1 document and each of
``asyncapi/`` an AsyncAPI 2.6/3.0 document; sub-folders hold shared fragments reached by
``$ref``. Everything is validated before anything is compared, and every problem is a
``ContractError`` that names the file, the line and the JSON pointer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.contracts.asyncapi import asyncapi_version, build_index
from harness.contracts.errors import ContractError
from harness.contracts.model import ContractIndex
from harness.contracts.refs import DATA_KEYWORDS, Location, Resolver
from harness.contracts.source import read_document
from harness.gate.lines import line_of
from harness.gate.spec import Kind, spec_violations

SUFFIXES = (".yaml", ".yml", ".json")
_SHOWN = 4


@dataclass(frozen=True)
class Document:
    """One parsed, validated contract file."""

    kind: Kind
    rel: str  # path relative to the contracts folder, e.g. "openapi/orders.yaml"
    path: Path
    data: Mapping[str, Any]
    version: str  # "3.0", "3.1" (OpenAPI) or "2.6", "3.0" (AsyncAPI)
    resolver: Resolver

    @property
    def root(self) -> Location:
        return self.resolver.root

    @property
    def title(self) -> str:
        info = self.data.get("info")
        return str(info.get("title", "")) if isinstance(info, Mapping) else ""

    @property
    def name(self) -> str:
        """The provider's name: the file name without its suffix (orders.yaml -> orders)."""
        return Path(self.rel).stem


@dataclass(frozen=True)
class AsyncDocument(Document):
    index: ContractIndex | None = None


@dataclass
class ContractSet:
    """One side: where it came from, its documents, and where its files really are."""

    root: Path
    label: str
    documents: dict[str, Document] = field(default_factory=dict)

    def of_kind(self, kind: Kind) -> dict[str, Document]:
        return {rel: doc for rel, doc in self.documents.items() if doc.kind == kind}

    def rel(self, path: Path) -> str:
        try:
            return Path(os.path.normpath(path)).relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def load_contract_set(root: Path, *, label: str) -> ContractSet:
    """Every contract under ``root`` (a contracts folder), parsed and validated."""
    root = Path(os.path.normpath(root.resolve()))
    contracts = ContractSet(root=root, label=label)
    for kind in ("openapi", "asyncapi"):
        folder = root / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix.lower() in SUFFIXES:
                document = _load(contracts, path, kind)  # type: ignore[arg-type]
                contracts.documents[document.rel] = document
    return contracts


def _load(contracts: ContractSet, path: Path, kind: Kind) -> Document:
    rel = contracts.rel(path)
    try:
        data = _stringify_keys(read_document(path))
        version = _version(data, kind=kind, path=path)
        _raise_spec_problems(data, kind=kind, version=version, path=path)
        resolver = Resolver(path, data)
        check_refs(resolver, data)
        if kind == "asyncapi":
            index = build_index(data, source=path, check_spec=False)
            return AsyncDocument(kind, rel, path, data, version, resolver, index)
        return Document(kind, rel, path, data, version, resolver)
    except ContractError as exc:
        raise relocate(exc, contracts) from None


def relocate(exc: ContractError, contracts: ContractSet) -> ContractError:
    """The same error with the display path (``main:contracts/...``) and the line added."""
    assert exc.source is not None
    shown = Path(f"{contracts.label}/{contracts.rel(exc.source)}")
    if exc.line is not None:
        return ContractError(
            exc.problem, source=shown, line=exc.line, column=exc.column, hint=exc.hint
        )
    pointer = exc.pointer or "/"
    line = line_of(exc.source, pointer) if exc.pointer else None
    if line is None:
        return ContractError(exc.problem, source=shown, pointer=pointer, hint=exc.hint)
    return ContractError(f"at #{pointer}: {exc.problem}", source=shown, line=line, hint=exc.hint)


def _stringify_keys(node: Any) -> Any:
    """YAML reads ``200:`` as an int; JSON-shaped documents have string keys only."""
    if isinstance(node, dict):
        return {str(key): _stringify_keys(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_stringify_keys(item) for item in node]
    return node


def _version(data: Any, *, kind: Kind, path: Path) -> str:
    if kind == "asyncapi":
        return _asyncapi_version(data, path)
    if not isinstance(data, Mapping) or "openapi" not in data:
        other = isinstance(data, Mapping) and "asyncapi" in data
        swagger = isinstance(data, Mapping) and "swagger" in data
        raise ContractError(
            "not an OpenAPI document: there is no 'openapi' version field at the top level",
            source=path,
            pointer="/",
            hint="this is an AsyncAPI document: move it to asyncapi/"
            if other
            else "convert Swagger 2.0 to OpenAPI 3 (e.g. swagger2openapi)"
            if swagger
            else "start the document with openapi: 3.1.0 (or keep it out of openapi/)",
        )
    found = str(data["openapi"])
    match = re.fullmatch(r"3\.([01])\.\d+(-.+)?", found)
    if match is None:
        raise ContractError(
            f"unsupported OpenAPI version {found!r}; the gate reads 3.0.x and 3.1.x",
            source=path,
            pointer="/openapi",
        )
    return f"3.{match[1]}"


def _asyncapi_version(data: Any, path: Path) -> str:
    found = asyncapi_version(data, source=path)
    if found.startswith("3.0."):
        return "3.0"
    if found.startswith("2.6."):
        return "2.6"
    raise ContractError(
        f"unsupported AsyncAPI version {found!r}; the gate reads 2.6.0 and 3.0.0",
        source=path,
        pointer="/asyncapi",
        hint="convert the document with the AsyncAPI CLI: asyncapi convert FILE",
    )


def _raise_spec_problems(data: Any, *, kind: Kind, version: str, path: Path) -> None:
    problems = spec_violations(data, kind=kind, version=version)
    if not problems:
        return
    first, rest = problems[0], problems[1:_SHOWN]
    name = "OpenAPI" if kind == "openapi" else "AsyncAPI"
    text = f"not a valid {name} {version} document: {first.message}"
    text += "".join(f"\n  also at #{problem.pointer or '/'}: {problem.message}" for problem in rest)
    if len(problems) > _SHOWN:
        text += f"\n  ... and {len(problems) - _SHOWN} more"
    raise ContractError(
        text,
        source=path,
        pointer=first.pointer or "/",
        hint=f"fix the first problem and run the gate again; the schema is the official "
        f"{name} {version} JSON Schema",
    )


def check_refs(resolver: Resolver, data: Any) -> None:
    """Follow every ``$ref`` reachable from the document, so a dangling one fails early."""
    seen: set[Location] = set()
    stack: list[tuple[Any, Location]] = [(data, resolver.root)]
    while stack:
        node, at = stack.pop()
        if at in seen:
            continue
        seen.add(at)
        if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            target, target_at = resolver.follow(node, at)
            stack.append((target, target_at))
        stack.extend(_children(node, at))


def _children(node: Any, at: Location) -> Iterator[tuple[Any, Location]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key not in DATA_KEYWORDS and isinstance(value, Mapping | list):
                yield value, at.child(key)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, Mapping | list):
                yield item, at.child(index)
