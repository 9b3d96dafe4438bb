"""AsyncAPI rules: topics, operations and messages, and their schemas through the engine.

A channel is judged from its readers' side when the documented services send to it
(``publish``: a payload may only narrow) and from its writers' side when they only
receive from it (``subscribe``: a payload may only widen). The structure (channels,
operations, messages) comes from ``harness.contracts``' index; schemas are walked in the
document itself, so findings point at the lines where they are written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from harness.contracts.model import ChannelContract, ContractIndex, MessageContract
from harness.contracts.refs import Location
from harness.gate.context import DocumentPairBase, finding
from harness.gate.loading import AsyncDocument
from harness.gate.model import Finding, Usage
from harness.gate.registry import Registry
from harness.gate.rules import Family
from harness.gate.schema import Comparator, Conj, Node, parts_of
from harness.gate.schema_rules import schema_findings


@dataclass
class AsyncPair(DocumentPairBase):
    base: AsyncDocument | None
    head: AsyncDocument | None

    def __post_init__(self) -> None:
        self.readers = Comparator(view="response")
        self.writers = Comparator(view="request")

    def index(self, side: AsyncDocument | None) -> ContractIndex | None:
        return side.index if side is not None else None

    def emit(
        self, rule_id: str, message: str, *, at: Location, subject: str, usage: Usage
    ) -> Finding:
        return finding(
            rule_id,
            contract=self.contract,
            subject=subject,
            message=message,
            place=self.sides.place(at),
            pointer=at.pointer,
            usage=usage,
        )


@dataclass(frozen=True)
class ChannelPair:
    document: AsyncPair
    base: ChannelContract
    head: ChannelContract
    family: Family

    def usage(self, **fields: Any) -> Usage:
        return Usage(self.document.provider, "message", topic=self.base.topic, **fields)


DOCUMENTS: Registry[AsyncPair] = Registry("asyncapi documents")
CHANNELS: Registry[ChannelPair] = Registry("asyncapi channels")


def diff_asyncapi(pair: AsyncPair) -> list[Finding]:
    found = DOCUMENTS.run(pair)
    base, head = pair.index(pair.base), pair.index(pair.head)
    if base is None or head is None:
        return found
    for channel in base.channels.values():
        match = _counterpart(channel, head)
        if match is not None:
            found += CHANNELS.run(ChannelPair(pair, channel, match, _family(base, channel)))
    return found


def _counterpart(channel: ChannelContract, head: ContractIndex) -> ChannelContract | None:
    """The same topic; else the channel with the same id (a renamed topic)."""
    return head.channels.get(channel.topic) or next(
        (c for c in head.channels.values() if c.id == channel.id), None
    )


def _family(index: ContractIndex, channel: ChannelContract) -> Family:
    actions = {op.action for op in index.operations if op.topic == channel.topic}
    return "subscribe" if actions == {"receive"} else "publish"


@DOCUMENTS.check
def removed_channels(pair: AsyncPair) -> Iterator[Finding]:
    base = pair.index(pair.base)
    if base is None:
        return
    head = pair.index(pair.head)
    for channel in base.channels.values():
        match = _counterpart(channel, head) if head else None
        usage = Usage(pair.provider, "message", topic=channel.topic)
        subject = f"channel {channel.topic}"
        if match is None:
            message = f"topic {channel.topic} removed"
            yield pair.emit(
                "channel-removed", message, at=channel.location, subject=subject, usage=usage
            )
        elif match.topic != channel.topic:
            message = f"topic {channel.topic} renamed to {match.topic}"
            yield pair.emit(
                "channel-renamed", message, at=match.location, subject=subject, usage=usage
            )


@DOCUMENTS.check
def removed_operations(pair: AsyncPair) -> Iterator[Finding]:
    base, head = pair.index(pair.base), pair.index(pair.head)
    if base is None or head is None:
        return
    head_ids = {op.id for op in head.operations}
    head_roles = {(op.service, op.action, op.topic) for op in head.operations}
    for op in base.operations:
        match = head.channels.get(op.topic) or _counterpart(base.channels[op.topic], head)
        topic = match.topic if match is not None else op.topic
        if op.id in head_ids or (op.service, op.action, topic) in head_roles:
            continue
        verb = "publishes to" if op.action == "send" else "consumes from"
        message = f"operation {op.id} removed: {op.service} no longer {verb} {op.topic}"
        at = (
            pair.base.root.child("operations", op.id)
            if pair.base
            else base.channels[op.topic].location
        )
        usage = Usage(pair.provider, "message", topic=op.topic)
        subject = f"channel {op.topic} operation {op.id}"
        yield pair.emit("channel-operation-removed", message, at=at, subject=subject, usage=usage)


@CHANNELS.check
def message_changes(pair: ChannelPair) -> Iterator[Finding]:
    before = {m.name: m for m in pair.base.messages}
    after = {m.name: m for m in pair.head.messages}
    if len(before) == len(after) == 1:  # one message each: a renamed message
        (old,), (new,) = before.values(), after.values()
        yield from _message(pair, old, new)
        return
    for name, old in before.items():
        match = after.get(name)
        if match is None:
            usage = pair.usage(section="payload")
            message = f"message {name} removed from {pair.base.topic}"
            yield pair.document.emit(
                "channel-message-removed",
                message,
                at=old.location,
                subject=_subject(pair, old),
                usage=usage,
            )
        else:
            yield from _message(pair, old, match)
    for name, new in after.items():
        if name not in before:
            rule_id = (
                "channel-message-added" if pair.family == "publish" else "subscribe-compatible"
            )
            message = f"message {name} added to {pair.head.topic}"
            yield pair.document.emit(
                rule_id, message, at=new.location, subject=_subject(pair, new), usage=pair.usage()
            )


def _subject(pair: ChannelPair, message: MessageContract, section: str = "") -> str:
    return f"{pair.base.topic} {message.name}" + (f" {section}" if section else "")


def _message(pair: ChannelPair, old: MessageContract, new: MessageContract) -> Iterator[Finding]:
    document = pair.document
    if _media(old.content_type) != _media(new.content_type):
        message = f"content type {old.content_type} -> {new.content_type}"
        yield document.emit(
            "message-content-type-changed",
            message,
            at=new.location,
            subject=_subject(pair, old),
            usage=pair.usage(),
        )
    comparator = document.readers if pair.family == "publish" else document.writers
    for section in ("payload", "headers"):
        before, after = _schema(document.base, old, section), _schema(document.head, new, section)
        if before is None and after is None:
            continue
        changes = comparator.compare(before or _any(after), after or _any(before))
        yield from schema_findings(
            changes,
            family=pair.family,
            sides=document.sides,
            contract=document.contract,
            subject=_subject(pair, old, section),
            pointer=new.location.pointer + f"/{section}",
            usage=pair.usage(section=section),
        )
    yield from _key(pair, old, new)


def _key(pair: ChannelPair, old: MessageContract, new: MessageContract) -> Iterator[Finding]:
    document = pair.document
    problems = []
    if old.key_location != new.key_location:
        problems.append(
            f"key location {old.key_location or 'none'} -> {new.key_location or 'none'}"
        )
    before, after = _schema(document.base, old, "key"), _schema(document.head, new, "key")
    if before is not None and after is None:
        problems.append("key schema removed")
    elif before is not None and after is not None:
        changes = document.readers.compare(before, after)
        problems += [c.detail for c in changes if c.effect.value in ("widens", "both", "unknown")]
    if problems:
        yield document.emit(
            "message-key-changed",
            "; ".join(problems),
            at=new.location,
            subject=_subject(pair, old, "key"),
            usage=pair.usage(section="key"),
        )


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _schema(document: AsyncDocument | None, message: MessageContract, section: str) -> Conj | None:
    """The schema as written in the document (for its lines), else as the index has it."""
    if document is None:
        return None
    inlined = {
        "payload": message.payload_schema,
        "headers": message.headers_schema,
        "key": message.key_schema,
    }
    if inlined[section] is None:
        return None
    resolver = document.resolver
    raw, at = resolver.follow(
        {"$ref": f"{message.location.file.as_posix()}#{message.location.pointer}"}, resolver.root
    )
    if section == "key":
        return tuple(_key_nodes(resolver, raw, at) or [Node(inlined[section], at, resolver, "key")])
    value = raw.get(section) if isinstance(raw, Mapping) and "traits" not in raw else None
    if value is None:
        return (Node(inlined[section], at.child(section), resolver, "inlined"),)
    if isinstance(value, Mapping) and "schemaFormat" in value and "schema" in value:
        return tuple(parts_of(value["schema"], at.child(section, "schema"), resolver))
    return tuple(parts_of(value, at.child(section), resolver))


def _key_nodes(resolver: Any, raw: Any, at: Location) -> list[Node]:
    bindings = raw.get("bindings") if isinstance(raw, Mapping) else None
    if not isinstance(bindings, Mapping):
        return []
    kafka, kafka_at = resolver.follow(bindings.get("kafka") or {}, at.child("bindings", "kafka"))
    if not isinstance(kafka, Mapping) or kafka.get("key") is None:
        return []
    return parts_of(kafka["key"], kafka_at.child("key"), resolver)


def _any(other: Conj | None) -> Conj:
    """An absent schema allows anything; it stands where the other side's schema is."""
    assert other is not None
    return (Node({}, other[0].at, other[0].resolver, "absent"),)
