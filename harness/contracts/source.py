"""Read a contract file (YAML or JSON) into plain Python data, with located errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from harness.contracts.errors import ContractError

# libyaml's parser when it is there (several times faster); the pure-Python one otherwise.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ContractLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that keeps contracts JSON-shaped and refuses duplicate keys.

    PyYAML turns an unquoted ``2025-01-01T00:00:00Z`` into a ``datetime``; contracts are
    JSON data, so an example timestamp must stay the string a record would carry. A
    duplicate key would silently drop a channel or a schema, so it is an error.
    """


_ContractLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _ContractLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:  # unhashable: construct_mapping reports it below
            continue
        if duplicate:
            raise ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    return mapping


_ContractLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_document(path: Path) -> Any:
    """Parse the file at ``path``; raise ContractError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContractError("file not found", source=path) from None
    except UnicodeDecodeError as exc:
        raise ContractError(f"not UTF-8 text (byte {exc.start})", source=path) from None
    except OSError as exc:
        raise ContractError(f"cannot read the file: {exc.strerror}", source=path) from None
    return parse_document(text, source=path)


def parse_document(text: str, *, source: Path) -> Any:
    """Parse YAML, or JSON when ``source`` ends in ``.json``."""
    if source.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContractError(
                f"JSON syntax error: {exc.msg}", source=source, line=exc.lineno, column=exc.colno
            ) from None
    try:
        return yaml.load(text, Loader=_ContractLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "cannot parse"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        kind = "invalid YAML" if isinstance(exc, ConstructorError) else "YAML syntax error"
        raise ContractError(
            f"{kind}: {problem}{context}",
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise ContractError(f"YAML error: {exc}", source=source) from None
