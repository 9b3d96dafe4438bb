"""Line numbers for JSON pointers, read from the YAML (or JSON) parse events of a file.

Parsing to plain data loses positions, so a file is read again, only when something is
reported in it: its parse events (libyaml's, in C) give every key and item a line, and
one pass records them all by JSON pointer. Composing a node tree would cost several
times more (PyYAML resolves every scalar's tag in Python).
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from harness.contracts.refs import split_pointer

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@functools.lru_cache(maxsize=64)
def _index(path: Path, stamp: tuple[int, int]) -> dict[str, int]:
    """JSON pointer -> 1-based line, for every key and item of the file."""
    del stamp  # part of the cache key only: a rewritten file is read again
    try:
        events = yaml.parse(path.read_text(encoding="utf-8"), Loader=_Loader)
        return _walk(events)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}


def _walk(events: object) -> dict[str, int]:
    lines: dict[str, int] = {"": 1}
    # One frame per open collection: [pointer, is_mapping, pending key or item index]
    stack: list[list[object]] = []
    for event in events:  # type: ignore[attr-defined]
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
            _advance(stack)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        line = event.start_mark.line + 1 if event.start_mark else 0
        if stack and stack[-1][1] and stack[-1][2] is None:  # a mapping key
            stack[-1][2] = str(getattr(event, "value", ""))
            lines[f"{stack[-1][0]}/{_escape(str(stack[-1][2]))}"] = line
            continue
        pointer = _here(stack, lines, line)
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append(
                [
                    pointer,
                    isinstance(event, yaml.MappingStartEvent),
                    None if isinstance(event, yaml.MappingStartEvent) else 0,
                ]
            )
        else:
            _advance(stack)
    return lines


def _here(stack: list[list[object]], lines: dict[str, int], line: int) -> str:
    """The pointer of the node that starts now (recording an item's line)."""
    if not stack:
        return ""
    frame = stack[-1]
    pointer = f"{frame[0]}/{_escape(str(frame[2]))}"
    if not frame[1]:
        lines[pointer] = line
    return pointer


def _advance(stack: list[list[object]]) -> None:
    """A value is complete: a mapping waits for its next key, a sequence counts on."""
    if not stack:
        return
    frame = stack[-1]
    frame[2] = None if frame[1] else int(frame[2]) + 1  # type: ignore[call-overload]


def line_of(path: Path, pointer: str) -> int | None:
    """1-based line of the node at ``pointer``, or of its deepest ancestor that exists.

    A pointer that passes through a ``$ref`` stops at the reference; the line is that
    of the reference, which is where a reader would look first.
    """
    try:
        stat = path.stat()
        tokens = split_pointer(pointer)
    except (OSError, ValueError):
        return None
    lines = _index(path, (stat.st_mtime_ns, stat.st_size))
    if not lines:
        return None
    for end in range(len(tokens), -1, -1):
        found = lines.get("".join(f"/{_escape(t)}" for t in tokens[:end]))
        if found is not None:
            return found
    return None
