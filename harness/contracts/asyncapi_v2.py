"""Index an AsyncAPI 2.x document (channels keyed by address, publish/subscribe inside).

In 2.x the verbs are from the client's side: ``subscribe`` means the application sends
(others subscribe to it), ``publish`` means the application receives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.contracts.extract import extract_message, mapping_at
from harness.contracts.indexing import assemble, channel_shape, service_name
from harness.contracts.model import (
    ChannelContract,
    ContractIndex,
    MessageContract,
    OperationContract,
)
from harness.contracts.refs import Location, Resolver

_VERBS = {"subscribe": "send", "publish": "receive"}


def build_v2_index(
    document: Mapping[str, Any], resolver: Resolver, *, version: str
) -> ContractIndex:
    root = resolver.root
    content_type = document.get("defaultContentType")
    channels, operations = [], []
    for address, raw in mapping_at(document, "channels", root).items():
        node, at = resolver.follow(raw, root.child("channels", address))
        if not isinstance(node, Mapping):
            raise at.error(f"a channel must be a mapping, not {type(node).__name__}")
        shape = channel_shape(resolver, node, at, address=address)
        messages: dict[Location, MessageContract] = {}
        for verb, action in _VERBS.items():
            if verb not in node:
                continue
            op, op_at = resolver.follow(node[verb], at.child(verb))
            found = _messages(resolver, op, op_at, shape["topic"], content_type)
            messages.update(found)
            op_id = str(op.get("operationId") or f"{verb} {address}")
            operations.append(
                OperationContract(
                    id=op_id,
                    action="send" if action == "send" else "receive",
                    service=service_name(op, op_id),
                    topic=shape["topic"],
                    messages=tuple(message.name for message in found.values()),
                )
            )
        channels.append(
            ChannelContract(id=address, messages=tuple(messages.values()), location=at, **shape)
        )
    return assemble(
        channels, operations, root=root, version=version, info=mapping_at(document, "info", root)
    )


def _messages(
    resolver: Resolver, op: Mapping[str, Any], at: Location, topic: str, content_type: Any
) -> dict[Location, MessageContract]:
    if "message" not in op:
        return {}
    node, node_at = resolver.follow(op["message"], at.child("message"))
    if isinstance(node, Mapping) and isinstance(node.get("oneOf"), list):
        alternatives = [
            resolver.follow(item, node_at.child("oneOf", index))
            for index, item in enumerate(node["oneOf"])
        ]
    else:
        alternatives = [(node, node_at)]
    return {
        message_at: extract_message(
            resolver,
            message,
            message_at,
            key=_fallback_name(message_at, topic),
            topic=topic,
            default_content_type=content_type,
            traits_override=True,
        )
        for message, message_at in alternatives
    }


def _fallback_name(at: Location, topic: str) -> str:
    """A name for a message without ``name`` or ``messageId``: its component key or topic."""
    last = at.pointer.rsplit("/", 1)[-1]
    if last == "message":
        return topic
    return f"{topic}#{last}" if last.isdigit() else last
