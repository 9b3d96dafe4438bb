"""Which consumers a finding breaks, read from what their pacts touch.

A finding's ``Usage`` says what a consumer must do to be broken (read a field, send a
parameter, omit a field that became required...); each pact interaction is checked
against it. For a change to what a channel's receiver accepts (``subscribe``), the
broken party is the sender: the pact's provider, not its consumer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.gate.context import finding
from harness.gate.model import Finding, Place, Usage
from harness.gate.openapi.model import status_covers
from harness.gate.pacts import HttpInteraction, MessageInteraction, Pact, field_paths


def normal(name: str) -> str:
    """Names compared loosely: ``Orders-Service`` and ``orders_service`` are the same."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass
class Catalog:
    """What the contracts offer, for matching pacts: provider aliases, operations, topics."""

    aliases: dict[str, set[str]] = field(default_factory=dict)  # provider -> normal names
    operations: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # (METHOD, key)
    topics: set[str] = field(default_factory=set)
    event_topics: dict[str, str] = field(default_factory=dict)  # event-type header -> topic

    def add_provider(self, name: str, *aliases: str) -> None:
        self.aliases.setdefault(name, set()).update(normal(a) for a in (name, *aliases) if a)

    def topic_of(self, message: MessageInteraction) -> str | None:
        if message.topic is not None:
            return message.topic
        return self.event_topics.get(message.event_type or "")

    def provider_of(self, pact: Pact) -> str | None:
        wanted = normal(pact.provider)
        return next((name for name, names in self.aliases.items() if wanted in names), None)


@functools.lru_cache(maxsize=4096)
def _template(key: str) -> re.Pattern[str]:
    return re.compile("[^/]+".join(re.escape(part) for part in key.split("{}")) + "/?")


def path_matches(key: str, path: str) -> bool:
    return _template(key).fullmatch(path.split("?", 1)[0]) is not None


def _has(paths: Iterable[tuple[str, ...]], wanted: tuple[str, ...], *, prefix: bool) -> bool:
    """Whether a field path is among ``paths`` (``{}`` in ``wanted`` matches any key)."""
    for path in paths:
        if len(path) < len(wanted) or (not prefix and len(path) != len(wanted)):
            continue
        if all(w == "{}" or w == p for w, p in zip(wanted, path, strict=False)):
            return True
    return False


def _values(value: Any, path: tuple[str, ...]) -> Iterable[Any]:
    if not path:
        yield value
        return
    head, rest = path[0], path[1:]
    if head == "[]" and isinstance(value, list):
        items: Iterable[Any] = value
    elif head == "{}" and isinstance(value, Mapping):
        items = value.values()
    elif isinstance(value, Mapping) and head in value:
        items = (value[head],)
    else:
        return
    for item in items:
        yield from _values(item, rest)


def _in_body(usage: Usage, body: Any) -> bool:
    """The test of a usage against a body the consumer sends (request, message)."""
    if body is None:
        return usage.test == "omits" and not usage.field
    if not usage.field:
        return usage.test != "omits"
    paths = list(field_paths(body))
    present = _has(paths, usage.field, prefix=True)
    if usage.test == "omits":
        parent = usage.field[:-1]
        return not present and (not parent or _has(paths, parent, prefix=False))
    if usage.test == "sends" and usage.values:
        return any(value in usage.values for value in _values(body, usage.field))
    return present


def _parameter(usage: Usage, ix: HttpInteraction) -> bool:
    name = (usage.name or "").lower()
    present = {
        "path": True,
        "query": (usage.name or "") in ix.query,
        "header": name in ix.request_headers,
        "cookie": "cookie" in ix.request_headers,
    }.get(usage.location or "", False)
    return present if usage.test != "omits" else not present


def _status(usage: Usage, ix: HttpInteraction) -> bool:
    return status_covers(usage.status or "", str(ix.status))


def _response(usage: Usage, ix: HttpInteraction) -> bool:
    if not _status(usage, ix) or ix.response_body is None:
        return False
    return not usage.field or _has(field_paths(ix.response_body), usage.field, prefix=True)


def _header(usage: Usage, ix: HttpInteraction) -> bool:
    return _status(usage, ix) and (usage.name or "").lower() in ix.response_headers


_HTTP_TESTS: dict[str, Callable[[Usage, HttpInteraction], bool]] = {
    "operation": lambda usage, ix: True,
    "parameter": _parameter,
    "request": lambda usage, ix: _in_body(usage, ix.request_body),
    "status": _status,
    "response": _response,
    "header": _header,
}


def _message(usage: Usage, ix: MessageInteraction, topic: str | None) -> bool:
    if topic != usage.topic:
        return False
    if usage.section == "headers" and usage.field:
        present = usage.field[0].lower() in ix.metadata
        return present if usage.test != "omits" else not present
    if usage.section == "payload":
        if usage.test == "reads":
            return not usage.field or _has(field_paths(ix.contents), usage.field, prefix=True)
        return _in_body(usage, ix.contents)
    return True


def broken_parties(usage: Usage, pacts: Iterable[Pact], catalog: Catalog) -> tuple[str, ...]:
    """The consumers (or, for what a receiver accepts, the senders) a usage breaks."""
    names = set()
    for pact in pacts:
        if usage.topic is not None:
            if any(_message(usage, ix, catalog.topic_of(ix)) for ix in pact.messages):
                names.add(pact.provider if usage.test in ("sends", "omits") else pact.consumer)
            continue
        if catalog.provider_of(pact) != usage.provider:
            continue
        test = _HTTP_TESTS[usage.part]
        if any(
            ix.method == usage.method
            and path_matches(usage.path or "", ix.path)
            and test(usage, ix)
            for ix in pact.http
        ):
            names.add(pact.consumer)
    return tuple(sorted(names))


def with_consumers(findings: list[Finding], pacts: list[Pact], catalog: Catalog) -> list[Finding]:
    return [
        f.with_consumers(broken_parties(f.usage, pacts, catalog)) if f.usage and pacts else f
        for f in findings
    ]


def unmatched(pacts: list[Pact], catalog: Catalog) -> list[Finding]:
    """Interactions that touch nothing the contracts (base or head) describe."""
    found = []
    for pact in pacts:
        provider = catalog.provider_of(pact)
        calls = catalog.operations.get(provider or "", set())
        for ix in pact.http:
            if not any(m == ix.method and path_matches(key, ix.path) for m, key in calls):
                what = f"{ix.method} {ix.path}"
                reason = (
                    "no contract describes it" if provider else f"no contract for {pact.provider}"
                )
                found.append(_unmatched(pact, f"{what} ({reason})", ix.description))
        for message in pact.messages:
            if catalog.topic_of(message) not in catalog.topics:
                shown = message.topic or message.event_type or "no topic in its metadata"
                found.append(_unmatched(pact, f"message on {shown}", message.description))
    return found


def _unmatched(pact: Pact, what: str, description: str) -> Finding:
    return finding(
        "pact-interaction-unmatched",
        contract=pact.file,
        subject=f"{pact.label}: {description or what}",
        message=f"{pact.consumer} expects {what}",
        place=Place(pact.file, ""),
        pointer="",
        usage=None,
    ).with_consumers((pact.consumer,))
