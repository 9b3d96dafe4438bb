"""Extending a hand-written YAML document as text, so its comments and layout stay (pure).

New entries are dumped as YAML blocks and inserted at the end of their block mapping;
flow lists (``enum: [a, b]``) gain items in place. Every edit is checked by parsing the
result again: it must equal the old document plus exactly the change.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import yaml

from harness.errors import ConfigError

Path = tuple[str, ...]
BY_HAND = "(the scaffold extends block mappings with two-space indents); add the event by hand"


def section(document: Any, path: Sequence[str]) -> Any:
    """The node at ``path`` in a parsed document (None when it is not there)."""
    node: Any = document
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, as events.yaml is written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def dump_block(entries: Mapping[str, Any], indent: int) -> list[str]:
    text = yaml.dump(
        dict(entries), Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=88
    )
    return [" " * indent + line if line else line for line in text.splitlines()]


def _is_key(line: str, indent: int) -> bool:
    stripped = line.lstrip(" ")
    return bool(stripped) and not stripped.startswith("#") and len(line) - len(stripped) <= indent


def _find(lines: Sequence[str], path: Sequence[str], *, inline: bool) -> tuple[int, int]:
    """The line of the last key of ``path`` and the end of its block."""
    start, end, at = 0, len(lines), -1
    for depth, key in enumerate(path):
        last = depth == len(path) - 1
        pattern = re.compile(
            rf"^ {{{2 * depth}}}{re.escape(key)}:" + ("" if inline and last else r"\s*$")
        )
        found = [i for i in range(start, end) if pattern.match(lines[i])]
        if not found:
            kind = "key" if inline and last else "block mapping"
            raise ConfigError(
                f"the events document has no {kind} {'/'.join(path[: depth + 1])} {BY_HAND}"
            )
        at, start = found[0], found[0] + 1
        end = next((i for i in range(start, end) if _is_key(lines[i], 2 * depth)), end)
    return at, end


def section_end(lines: Sequence[str], path: Sequence[str]) -> int:
    """The line index after the last entry of the block mapping at ``path``."""
    at, end = _find(lines, path, inline=False)
    while end > at + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _checked(text: str, result: str, change: Callable[[Any], None]) -> str:
    expected = copy.deepcopy(yaml.safe_load(text))
    change(expected)
    if yaml.safe_load(result) != expected:
        raise ConfigError(
            f"the events document is laid out in a way the scaffold cannot extend {BY_HAND}"
        )
    return result


def add_entries(text: str, new: Mapping[Path, Mapping[str, Any]]) -> str:
    """``text`` with the entries appended to their block mappings."""
    lines = text.splitlines()
    new = {path: entries for path, entries in new.items() if entries}
    for path, entries in sorted(new.items(), key=lambda item: -section_end(lines, item[0])):
        at = section_end(lines, path)
        lines[at:at] = dump_block(entries, 2 * len(path))

    def change(expected: Any) -> None:
        for path, entries in new.items():
            section(expected, path).update(entries)

    return _checked(text, "\n".join(lines) + "\n", change)


def extend_lists(text: str, new: Mapping[Path, Sequence[str]]) -> str:
    """``text`` with the flow lists at the paths (``key: [a, b]``) extended by the items."""
    lines = text.splitlines()
    new = {path: items for path, items in new.items() if items}
    for path, items in new.items():
        at, _ = _find(lines, path, inline=True)
        match = re.match(r"^(\s*[^:]+:\s*\[)(.*?)(\]\s*)$", lines[at])
        if match is None:
            raise ConfigError(f"{'/'.join(path)} is not a one-line [list] {BY_HAND}")
        head, inner, tail = match.groups()
        lines[at] = f"{head}{', '.join([*filter(None, [inner.strip()]), *items])}{tail}"

    def change(expected: Any) -> None:
        for path, items in new.items():
            section(expected, path).extend(items)

    return _checked(text, "\n".join(lines) + "\n", change)
