"""YAML text for generated documents: stable key order, block style, comments placed
above top-level keys or above the services they describe."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

# Argument vectors read best on one line: ``command: [python, -m, reference_services, users]``.
FLOW_KEYS = frozenset({"command", "entrypoint", "test", "profiles"})


class _Flow(list[Any]):
    """A list written in flow style."""


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key (``key:\\n  - item``), as compose files usually are."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(_Flow, _represent_flow)


def _styled(value: Any, key: str = "") -> Any:
    if isinstance(value, Mapping):
        return {k: _styled(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_styled(v) for v in value]
        return _Flow(items) if key in FLOW_KEYS else items
    return value


def _comment(lines: Sequence[str], indent: str) -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in lines]


def to_yaml(
    document: Mapping[str, Any],
    *,
    header: Sequence[str] = (),
    above: Mapping[str, Sequence[str]] | None = None,
    section: str = "services",
) -> str:
    """``document`` as YAML. ``above`` maps a key of ``section`` (or a top-level key) to
    the comment lines written just above it."""
    text = yaml.dump(
        _styled(document), Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=4096
    )
    out = _comment(header, "")
    inside = False
    for line in text.splitlines():
        if line and not line[0].isspace():
            inside = line == f"{section}:"
            key = line.split(":", 1)[0]
            out += _comment((above or {}).get(key, ()), "")
        elif inside and line.startswith("  ") and not line[2].isspace() and line.endswith(":"):
            out += _comment((above or {}).get(line.strip()[:-1], ()), "  ")
        out.append(line)
    return "\n".join(out) + "\n"
