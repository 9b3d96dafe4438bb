"""What both AsyncAPI versions share when indexing: topics, services, the final index."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, TypedDict

from harness.contracts.extract import kafka_binding, mapping_at
from harness.contracts.model import ChannelContract, ContractIndex, OperationContract
from harness.contracts.refs import Location, Resolver

# Characters Kafka allows in a topic name: what a parameter without an enum may match.
_TOPIC_CHARS = r"[A-Za-z0-9._-]+"


class ChannelShape(TypedDict):
    topic: str
    partitions: int | None
    replicas: int | None
    pattern: re.Pattern[str] | None


def channel_shape(
    resolver: Resolver, node: Mapping[str, Any], at: Location, *, address: str | None
) -> ChannelShape:
    """Topic, partitions, replicas and (for ``{param}`` addresses) a topic pattern."""
    kafka, _ = kafka_binding(resolver, node, at)
    topic = str(kafka.get("topic") or address or at.pointer.rsplit("/", 1)[-1])
    pattern = None
    if "{" in topic:
        parameters = mapping_at(node, "parameters", at)
        pattern = _topic_pattern(resolver, topic, parameters, at.child("parameters"))
    return ChannelShape(
        topic=topic,
        partitions=kafka.get("partitions"),
        replicas=kafka.get("replicas"),
        pattern=pattern,
    )


def _topic_pattern(
    resolver: Resolver, topic: str, parameters: Mapping[str, Any], at: Location
) -> re.Pattern[str]:
    parts = re.split(r"\{([^}]+)\}", topic)
    regex = ""
    for index, part in enumerate(parts):
        if index % 2 == 0:
            regex += re.escape(part)
            continue
        parameter, _ = resolver.follow(parameters.get(part, {}), at.child(part))
        enum = parameter.get("enum") if isinstance(parameter, Mapping) else None
        if isinstance(parameter, Mapping) and "schema" in parameter:  # 2.x puts it in a schema
            enum = (parameter.get("schema") or {}).get("enum", enum)
        regex += "(?:" + "|".join(re.escape(str(v)) for v in enum) + ")" if enum else _TOPIC_CHARS
    return re.compile(regex)


def service_name(node: Mapping[str, Any], operation_id: str) -> str:
    """``x-service``, else the operation id up to its first dot (``orders.publishX``)."""
    explicit = node.get("x-service")
    if isinstance(explicit, str) and explicit:
        return explicit
    return operation_id.split(".", 1)[0]


def assemble(
    channels: Sequence[ChannelContract],
    operations: Sequence[OperationContract],
    *,
    root: Location,
    version: str,
    info: Mapping[str, Any],
) -> ContractIndex:
    """Key channels by topic (refusing duplicates) and attach producers and consumers."""
    by_topic: dict[str, ChannelContract] = {}
    for channel in channels:
        other = by_topic.get(channel.topic)
        if other is not None:
            raise channel.location.error(
                f"topic {channel.topic!r} is declared by two channels: {other.id!r} and "
                f"{channel.id!r}; merge their messages into one channel"
            )
        by_topic[channel.topic] = replace(
            channel,
            producers=_services(operations, channel.topic, "send"),
            consumers=_services(operations, channel.topic, "receive"),
        )
    return ContractIndex(
        source=root.file,
        asyncapi_version=version,
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        channels=by_topic,
        operations=tuple(operations),
    )


def _services(operations: Sequence[OperationContract], topic: str, action: str) -> tuple[str, ...]:
    names = (op.service for op in operations if op.topic == topic and op.action == action)
    return tuple(dict.fromkeys(names))
