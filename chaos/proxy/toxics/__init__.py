"""The toxic types the proxy knows, registered by importing their modules."""

from chaos.proxy.toxics import closing, timing
from chaos.proxy.toxics.base import (
    CLOSE,
    EOF,
    REGISTRY,
    RESET,
    RNG,
    Chunk,
    Item,
    Marker,
    Stub,
    ToxicType,
    passthrough,
)

__all__ = [
    "CLOSE",
    "EOF",
    "REGISTRY",
    "RESET",
    "RNG",
    "Chunk",
    "Item",
    "Marker",
    "Stub",
    "ToxicType",
    "closing",
    "passthrough",
    "timing",
]
