"""Index an AsyncAPI 3.x document: channels hold messages, operations say who does what."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.contracts.extract import extract_message, mapping_at
from harness.contracts.indexing import assemble, channel_shape, service_name
from harness.contracts.model import ChannelContract, ContractIndex, OperationContract
from harness.contracts.refs import Location, Resolver

# Where each message of each channel is, after following $refs -> its name.
_MessageNames = dict[Location, str]


def build_v3_index(
    document: Mapping[str, Any], resolver: Resolver, *, version: str
) -> ContractIndex:
    root = resolver.root
    default_content_type = document.get("defaultContentType")
    channels: dict[Location, tuple[ChannelContract, _MessageNames]] = {}
    for channel_id, raw in mapping_at(document, "channels", root).items():
        node, at = resolver.follow(raw, root.child("channels", channel_id))
        channels[at] = _channel(resolver, node, at, channel_id, default_content_type)
    operations = [
        _operation(resolver, op_id, raw, root.child("operations", op_id), channels)
        for op_id, raw in mapping_at(document, "operations", root).items()
    ]
    return assemble(
        [channel for channel, _ in channels.values()],
        operations,
        root=root,
        version=version,
        info=mapping_at(document, "info", root),
    )


def _channel(
    resolver: Resolver, node: Any, at: Location, channel_id: str, default_content_type: Any
) -> tuple[ChannelContract, _MessageNames]:
    if not isinstance(node, Mapping):
        raise at.error(f"a channel must be a mapping, not {type(node).__name__}")
    address = node.get("address")
    shape = channel_shape(resolver, node, at, address=address if address else channel_id)
    messages, names = [], {}
    for key, raw in mapping_at(node, "messages", at).items():
        message_node, message_at = resolver.follow(raw, at.child("messages", key))
        message = extract_message(
            resolver,
            message_node,
            message_at,
            key=key,
            topic=shape["topic"],
            default_content_type=default_content_type,
            traits_override=False,
        )
        messages.append(message)
        names[message_at] = message.name
    channel = ChannelContract(id=channel_id, messages=tuple(messages), location=at, **shape)
    return channel, names


def _operation(
    resolver: Resolver,
    op_id: str,
    raw: Any,
    at: Location,
    channels: Mapping[Location, tuple[ChannelContract, _MessageNames]],
) -> OperationContract:
    node, at = resolver.follow(raw, at)
    if not isinstance(node, Mapping):
        raise at.error(f"an operation must be a mapping, not {type(node).__name__}")
    action = node.get("action")
    if action not in ("send", "receive"):
        raise at.child("action").error(f"action must be 'send' or 'receive', not {action!r}")
    if not isinstance(node.get("channel"), Mapping) or "$ref" not in node["channel"]:
        raise at.child("channel").error("an operation needs channel: {$ref: '#/channels/<id>'}")
    _, channel_at = resolver.follow(node["channel"], at.child("channel"))
    if channel_at not in channels:
        raise at.child("channel").error(f"{channel_at} is not one of the document's channels")
    channel, names = channels[channel_at]
    return OperationContract(
        id=op_id,
        action=action,
        service=service_name(node, op_id),
        topic=channel.topic,
        messages=_operation_messages(resolver, node, at, channel, names),
    )


def _operation_messages(
    resolver: Resolver,
    node: Mapping[str, Any],
    at: Location,
    channel: ChannelContract,
    names: _MessageNames,
) -> tuple[str, ...]:
    if "messages" not in node:  # no list: every message of the channel
        return tuple(message.name for message in channel.messages)
    selected = []
    for index, raw in enumerate(node["messages"] or []):
        _, message_at = resolver.follow(raw, at.child("messages", index))
        if message_at not in names:
            raise at.child("messages", index).error(
                f"{message_at} is not a message of channel {channel.id!r}",
                hint=f"use a $ref to #/channels/{channel.id}/messages/<name>",
            )
        selected.append(names[message_at])
    return tuple(selected)
