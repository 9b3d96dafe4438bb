"""The JSON Schema compatibility engine shared by the OpenAPI and AsyncAPI rules."""

from harness.gate.schema.compare import Change, Comparator, Effect
from harness.gate.schema.shape import Conj, Node, parts_of

__all__ = ["Change", "Comparator", "Conj", "Effect", "Node", "parts_of"]
