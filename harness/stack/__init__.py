"""Bring a target system up as local processes: the broker, the services, their links.

The public API: ``EmbeddedStack`` and ``StackOptions`` (start, stop, restart parts),
``pick_free_port_base``, ``down`` and ``stack_status`` for a stack recorded in a state
folder, and the registry in ``topology`` with the wiring in ``links``.

Names load lazily, so ``import harness.stack.topology`` (used by chaos experiments and
compose checks) does not pull in httpx, aiokafka and asyncpg.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "EmbeddedStack": "harness.stack.embedded",
    "StackOptions": "harness.stack.options",
    "Topology": "harness.stack.topology",
    "dependency_url": "harness.stack.links",
    "down": "harness.stack.teardown",
    "kafka_address": "harness.stack.links",
    "link_address": "harness.stack.links",
    "pick_free_port_base": "harness.stack.ports",
    "populate_payload": "harness.stack.links",
    "stack_status": "harness.stack.status",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
