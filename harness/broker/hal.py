"""HAL documents as the Pact Broker writes them: ``_links`` by relation, ``_embedded``.

Pure functions. A relation holds one link or a list of links (``pb:record-deployment``,
``pb:contracts``); a templated href has ``{name}`` placeholders (RFC 6570 level 1, as
the broker's index uses them), filled here with percent-encoded values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from harness.broker.errors import BrokerResponseError

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")


def links(document: Mapping[str, Any], rel: str) -> list[dict[str, Any]]:
    """Every link of ``rel`` (none when absent)."""
    found = (document.get("_links") or {}).get(rel)
    if isinstance(found, Mapping):
        return [dict(found)]
    if isinstance(found, list):
        return [dict(link) for link in found if isinstance(link, Mapping)]
    return []


def href(document: Mapping[str, Any], rel: str, *, where: str, hint: str = "") -> str:
    """The href of the one link of ``rel``; a clear error when the document lacks it."""
    found = [link for link in links(document, rel) if isinstance(link.get("href"), str)]
    if not found:
        known = ", ".join(sorted(document.get("_links") or {})) or "none"
        raise BrokerResponseError(
            f"{where} has no {rel!r} link (links: {known})" + (f"; {hint}" if hint else "")
        )
    return str(found[0]["href"])


def expand(template: str, **values: str) -> str:
    """Fill ``{name}`` placeholders; every one must be given (no silent empty segment)."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise ValueError(f"no value for {{{name}}} in {template}")
        return quote(values[name], safe="")

    return PLACEHOLDER.sub(fill, template)


def embedded(document: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    found = (document.get("_embedded") or {}).get(name)
    if isinstance(found, list):
        return [dict(item) for item in found if isinstance(item, Mapping)]
    return [dict(found)] if isinstance(found, Mapping) else []


def notices(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(type, text)`` of each notice (publication and can-i-deploy answers carry them)."""
    return [
        (str(n.get("type", "info")), str(n.get("text", "")))
        for n in document.get("notices") or []
        if isinstance(n, Mapping)
    ]
