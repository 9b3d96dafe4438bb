"""Small, checked edits of a service's Python source (pure: text in, text out).

Each edit finds its place with ``ast`` rather than by pattern, keeps everything else
byte for byte, and the result must still parse. Generated code is formatted afterwards
(``tidy``), so the edits need not care about line length or import order.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from harness.errors import ConfigError

FUTURE = "from __future__ import annotations\n"


def top_level_names(text: str) -> set[str]:
    """Names a module defines at its top level (functions, classes, assignments)."""
    names: set[str] = set()
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def add_imports(text: str, imports: Iterable[str]) -> str:
    """Import lines the module lacks, right after ``from __future__`` (tidy sorts them)."""
    missing = [line for line in imports if line not in text]
    if not missing:
        return text
    head, found, rest = text.partition(FUTURE)
    if not found:
        return "".join(f"{m}\n" for m in missing) + text
    return head + FUTURE + "".join(f"\n{m}" for m in missing) + rest


def _assignment(text: str, name: str) -> ast.Assign:
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return node
    raise ConfigError(f"no top-level {name} = ... found")


def _replace_lines(text: str, first: int, last: int, new: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join([*lines[: first - 1], new, *lines[last:]])


def add_to_tuple(text: str, name: str, item: str) -> str:
    """``NAME = (a, b)`` -> ``NAME = (a, b, item)`` (the assignment is rewritten, so a
    comment on its lines goes)."""
    node = _assignment(text, name)
    if not isinstance(node.value, ast.Tuple):
        raise ConfigError(f"{name} is not a tuple literal")
    items = [ast.get_source_segment(text, e) or "" for e in node.value.elts]
    items.append(item)
    rebuilt = f"{name} = ({', '.join(items)}{',' if len(items) == 1 else ''})\n"
    return _checked(_replace_lines(text, node.lineno, node.end_lineno or node.lineno, rebuilt))


def add_to_dict(text: str, name: str, key: str, value: str) -> str:
    """``NAME = {...}`` gains ``key: value`` as its last entry (rewritten, as above)."""
    node = _assignment(text, name)
    if not isinstance(node.value, ast.Dict):
        raise ConfigError(f"{name} is not a dict literal")
    entries = [
        f"    {ast.get_source_segment(text, k)}: {ast.get_source_segment(text, v)},\n"
        for k, v in zip(node.value.keys, node.value.values, strict=True)
        if k is not None
    ]
    rebuilt = f"{name} = {{\n{''.join(entries)}    {key}: {value},\n}}\n"
    return _checked(_replace_lines(text, node.lineno, node.end_lineno or node.lineno, rebuilt))


def insert_before_assignment(text: str, name: str, code: str) -> str:
    """``code`` placed just above the top-level ``NAME = ...`` (which may use it)."""
    node = _assignment(text, name)
    lines = text.splitlines(keepends=True)
    at = node.lineno - 1
    return _checked("".join([*lines[:at], code, *lines[at:]]))


def insert_before_first_def(text: str, code: str) -> str:
    """``code`` placed above the module's first function or class."""
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            lines = text.splitlines(keepends=True)
            return _checked("".join([*lines[: first - 1], code, "\n\n", *lines[first - 1 :]]))
    return _checked(text.rstrip("\n") + "\n\n" + code)


def add_keyword(text: str, call: str, keyword: str, value: str) -> str:
    """The first ``call(...)`` in the module gains ``keyword=value`` as its first argument."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == call:
            if any(k.arg == keyword for k in node.keywords):
                return text
            lines = text.splitlines(keepends=True)
            row = (node.func.end_lineno or node.lineno) - 1
            cut = (node.func.end_col_offset or 0) + 1  # just after "call("
            lines[row] = f"{lines[row][:cut]}{keyword}={value}, {lines[row][cut:]}"
            return _checked("".join(lines))
    raise ConfigError(f"no {call}(...) call found")


def append(text: str, code: str) -> str:
    return _checked(text.rstrip("\n") + "\n" + code)


def _checked(text: str) -> str:
    try:
        ast.parse(text)
    except SyntaxError as exc:  # a bug in an edit above, never the user's input
        raise ConfigError(f"the scaffold made invalid Python ({exc}); nothing is written") from None
    return text
