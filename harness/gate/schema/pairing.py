"""Which ``oneOf``/``anyOf`` alternative of the head is which one of the base.

Alternatives are paired by the strongest evidence first: the discriminator value, then
the component name, then the title, then the set of types. Order never matters, so
reordering alternatives is a refactor; a plain schema is one alternative, so turning
``X`` into ``oneOf: [X, Y]`` reads as "alternative Y added".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from harness.gate.schema.shape import Conj, Node, Shape, canonical

if TYPE_CHECKING:
    from harness.gate.schema.compare import Comparator

Alternative = tuple[Conj, Node]  # the nodes that apply, and the branch's own first node
_NAMED = ("/components/schemas/", "/$defs/", "/definitions/", "/components/messages/")


def alternatives(shape: Shape) -> list[Alternative]:
    if shape.branches is None:
        return [(shape.source, shape.where)]
    return list(zip(shape.branches, shape.heads, strict=True))


def pair_alternatives(
    comparator: Comparator, old: Shape, new: Shape
) -> tuple[list[tuple[Conj, Conj]], list[Node], list[Node]]:
    """(paired conjunctions, heads of base alternatives lost, heads of head ones gained)."""
    before, after = alternatives(old), alternatives(new)
    left, right = list(range(len(before))), list(range(len(after)))
    pairs: list[tuple[int, int]] = []
    keys: list[Callable[[Shape, Alternative], str | None]] = [
        _discriminator_value,
        _component_name,
        _title,
        lambda _, alt: _type_signature(comparator, alt),
    ]
    for key in keys:
        found = _pair_by(key, (old, before, left), (new, after, right))
        pairs += found
        left = [i for i in left if i not in {a for a, _ in found}]
        right = [j for j in right if j not in {b for _, b in found}]
    for i in list(left):  # renamed components without other evidence: equal content
        same = next((j for j in right if not comparator.compare(before[i][0], after[j][0])), None)
        if same is not None:
            pairs.append((i, same))
            left.remove(i)
            right.remove(same)
    if len(left) == 1 and len(right) == 1:
        pairs.append((left.pop(), right.pop()))
    paired = [(before[i][0], after[j][0]) for i, j in sorted(pairs)]
    return paired, [before[i][1] for i in left], [after[j][1] for j in right]


def _pair_by(
    key: Callable[[Shape, Alternative], str | None],
    old: tuple[Shape, list[Alternative], list[int]],
    new: tuple[Shape, list[Alternative], list[int]],
) -> list[tuple[int, int]]:
    """Pairs whose key is equal and unique on both sides."""
    groups: list[dict[str, list[int]]] = []
    for shape, alts, indices in (old, new):
        group: dict[str, list[int]] = {}
        for index in indices:
            value = key(shape, alts[index])
            if value is not None:
                group.setdefault(value, []).append(index)
        groups.append(group)
    left, right = groups
    return [
        (found[0], right[value][0])
        for value, found in left.items()
        if len(found) == 1 and len(right.get(value, ())) == 1
    ]


def _discriminator_value(shape: Shape, alt: Alternative) -> str | None:
    if not shape.discriminator:
        return None
    conj, head = alt
    if head.at in shape.mapping:
        return shape.mapping[head.at]
    for node in conj:
        value = node.value
        properties = value.get("properties") if isinstance(value, Mapping) else None
        prop = properties.get(shape.discriminator) if isinstance(properties, Mapping) else None
        if isinstance(prop, Mapping) and "const" in prop:
            return str(prop["const"])
        if (
            isinstance(prop, Mapping)
            and isinstance(prop.get("enum"), list)
            and len(prop["enum"]) == 1
        ):
            return str(prop["enum"][0])
    return _component_name(shape, alt)


def _component_name(_: Shape, alt: Alternative) -> str | None:
    pointer = alt[1].at.pointer
    if any(marker in pointer for marker in _NAMED):
        return pointer.rsplit("/", 1)[-1]
    return None


def _title(_: Shape, alt: Alternative) -> str | None:
    value = alt[1].value
    title = value.get("title") if isinstance(value, Mapping) else None
    return str(title) if title else None


def _type_signature(comparator: Comparator, alt: Alternative) -> str:
    shape = comparator.shape(alt[0])
    return canonical(sorted(shape.types) if shape.types is not None else None)
