"""Compare two schemas and list every change with its effect on the set of valid values.

The engine is direction-free: it says whether the head schema accepts fewer values than
the base (``NARROWS``), more (``WIDENS``), other ones (``BOTH``), or cannot tell
(``UNKNOWN``, e.g. a changed regular expression). Whether that breaks someone depends on
who writes the data, and is decided by the caller (``schema_rules.py``). The one thing
that depends on the direction is visibility: ``readOnly`` properties do not exist in a
request, ``writeOnly`` ones not in a response.

Recursive schemas are compared co-inductively: a pair already being compared further up
is assumed equal, so the walk ends. Results are memoized per pair of nodes, so a
component used by a thousand operations is compared once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Literal

from harness.contracts.refs import DATA_KEYWORDS, Location
from harness.gate.schema.pairing import pair_alternatives
from harness.gate.schema.shape import (
    BOUNDS,
    MISSING,
    Conj,
    Node,
    Shape,
    canonical,
    normalize,
    parts_of,
)

View = Literal["request", "response"]
# Format changes that only widen (the second accepts every value of the first).
WIDER_FORMATS = {("int32", "int64"), ("float", "double"), ("int32", "double")}


class Effect(StrEnum):
    NARROWS = "narrows"  # the head accepts less than the base
    WIDENS = "widens"  # the head accepts more
    BOTH = "both"  # the head accepts other values (some lost, some new)
    UNKNOWN = "unknown"  # cannot be decided (a changed pattern or "not")
    DEFAULT = "default"  # what is valid is the same; the default value changed
    NONE = "none"  # an addition nobody can notice (a new optional field, open object)


@dataclass(frozen=True)
class Change:
    """One difference; ``path`` is the field path below the compared schema."""

    kind: str
    effect: Effect
    detail: str
    old: Location | None
    new: Location | None
    path: tuple[str, ...] = ()
    values: tuple[Any, ...] = ()


def _prefix(changes: Iterable[Change], token: str) -> list[Change]:
    return [replace(change, path=(token, *change.path)) for change in changes]


class Comparator:
    """Compares schemas of one base/head document pair, for one direction."""

    def __init__(self, *, view: View) -> None:
        self.view = view
        self._shapes: dict[tuple[object, ...], Shape] = {}
        self._memo: dict[tuple[object, ...], list[Change]] = {}
        self._active: set[tuple[object, ...]] = set()
        self._refs: dict[int, tuple[object, tuple[str, ...]]] = {}

    def shape(self, conj: Conj) -> Shape:
        key = tuple(node.key for node in conj)
        found = self._shapes.get(key)
        if found is None:
            found = self._shapes[key] = normalize(conj)
        return found

    def compare(self, old: Conj, new: Conj) -> list[Change]:
        """Every change from ``old`` to ``new`` (paths relative to them)."""
        key = (tuple(n.key for n in old), tuple(n.key for n in new))
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            return []
        self._active.add(key)
        try:
            if self._same(old, new):
                result = []
            else:
                result = list(self._shapes_differ(self.shape(old), self.shape(new)))
        finally:
            self._active.discard(key)
        self._memo[key] = result
        return result

    def _same(self, old: Conj, new: Conj) -> bool:
        """Written the same, and every ``$ref`` inside leads to equal schemas: no change.

        Most of a contract is unchanged in a pull request; equal text is compared at C
        speed, and only the references in it are followed.
        """
        if len(old) != len(new):
            return False
        for before, after in zip(old, new, strict=True):
            if before.variant != after.variant or before.value != after.value:
                return False
            for ref in self._refs_in(before.value):
                target = {"$ref": ref}
                if self.compare(
                    tuple(parts_of(target, before.at, before.resolver)),
                    tuple(parts_of(target, after.at, after.resolver)),
                ):
                    return False
        return True

    def _refs_in(self, value: Any) -> tuple[str, ...]:
        found = self._refs.get(id(value))
        if found is None:  # the value is kept with its refs, so its id is not reused
            found = self._refs[id(value)] = (value, tuple(dict.fromkeys(_walk_refs(value))))
        return found[1]

    def _shapes_differ(self, old: Shape, new: Shape) -> Iterator[Change]:
        at = (old.where.at, new.where.at)
        if old.nothing != new.nothing:
            effect = Effect.WIDENS if old.nothing else Effect.NARROWS
            yield Change("type-changed", effect, "schema allows nothing (false)", *at)
            return
        yield from self._nullability(old, new)
        if old.branches is not None or new.branches is not None:
            yield from self._alternatives(old, new)
            return
        type_changes = list(self._types(old, new))
        yield from type_changes
        if any(change.effect is Effect.BOTH for change in type_changes):
            return  # another type altogether: its keywords cannot be compared
        yield from self._enum(old, new)
        yield from self._bounds(old, new)
        yield from self._strings(old, new)
        yield from self._default(old, new)
        yield from self._object(old, new)
        yield from self._array(old, new)

    @staticmethod
    def _nullability(old: Shape, new: Shape) -> Iterator[Change]:
        at = (old.where.at, new.where.at)
        if old.nullable and not new.nullable:
            yield Change("nullable-removed", Effect.NARROWS, "null no longer allowed", *at)
        elif new.nullable and not old.nullable:
            yield Change("nullable-added", Effect.WIDENS, "may now be null", *at)

    @staticmethod
    def _types(old: Shape, new: Shape) -> Iterator[Change]:
        if old.types == new.types:
            return
        lost = _uncovered(old.types, new.types)
        gained = _uncovered(new.types, old.types)
        effect = _effect(narrows=lost, widens=gained)
        if effect is not None:
            detail = f"type {_types(old.types)} -> {_types(new.types)}"
            yield Change("type-changed", effect, detail, old.where.at, new.where.at)

    @staticmethod
    def _enum(old: Shape, new: Shape) -> Iterator[Change]:
        at = (old.where.at, new.where.at)
        if old.enum == new.enum:
            return
        if old.enum is None:
            shown = _values(new.enum or {})
            yield Change("enum-restricted", Effect.NARROWS, f"only {shown} allowed now", *at)
            return
        if new.enum is None:
            yield Change("enum-unrestricted", Effect.WIDENS, "any value allowed now", *at)
            return
        removed = [v for k, v in old.enum.items() if k not in new.enum and k != "null"]
        added = [v for k, v in new.enum.items() if k not in old.enum and k != "null"]
        if removed:
            detail = f"enum value{_s(removed)} removed: {_values(removed)}"
            yield Change("enum-value-removed", Effect.NARROWS, detail, *at, values=tuple(removed))
        if added:
            detail = f"enum value{_s(added)} added: {_values(added)}"
            yield Change("enum-value-added", Effect.WIDENS, detail, *at, values=tuple(added))

    @staticmethod
    def _bounds(old: Shape, new: Shape) -> Iterator[Change]:
        at = (old.where.at, new.where.at)
        for keyword in (*BOUNDS, "multipleOf"):
            before, after = old.bounds.get(keyword), new.bounds.get(keyword)
            if before == after:
                continue
            if before is None or after is None:
                effect = Effect.NARROWS if before is None else Effect.WIDENS
                detail = (
                    f"{keyword} {_num(after)} added" if before is None else f"{keyword} removed"
                )
            elif keyword == "multipleOf":
                effect = _multiple_of(before, after)
                detail = f"multipleOf {_num(before)} -> {_num(after)}"
            else:
                narrower = (after > before) == BOUNDS[keyword]
                effect = Effect.NARROWS if narrower else Effect.WIDENS
                detail = f"{keyword} {_num(before)} -> {_num(after)}"
            yield Change("bound-changed", effect, detail, *at)
        if old.unique != new.unique:
            effect = Effect.NARROWS if new.unique else Effect.WIDENS
            yield Change("bound-changed", effect, f"uniqueItems {str(new.unique).lower()}", *at)

    @staticmethod
    def _strings(old: Shape, new: Shape) -> Iterator[Change]:
        at = (old.where.at, new.where.at)
        added, removed = new.patterns - old.patterns, old.patterns - new.patterns
        if added or removed:
            effect = _effect(narrows=bool(added), widens=bool(removed))
            if effect is Effect.BOTH:
                effect = Effect.UNKNOWN  # regular expressions: inclusion is undecidable here
            shown = " -> ".join(repr(sorted(p)[0]) if p else "none" for p in (removed, added))
            yield Change("pattern-changed", effect or Effect.UNKNOWN, f"pattern {shown}", *at)
        if old.format != new.format:
            effect = _format_effect(old.format, new.format)
            detail = f"format {old.format or 'none'} -> {new.format or 'none'}"
            yield Change("format-changed", effect, detail, *at)
        if old.negated != new.negated:
            yield Change("not-changed", Effect.UNKNOWN, "'not' schema changed", *at)

    @staticmethod
    def _default(old: Shape, new: Shape) -> Iterator[Change]:
        if old.default is MISSING and new.default is MISSING:
            return
        before = "none" if old.default is MISSING else canonical(old.default)
        after = "none" if new.default is MISSING else canonical(new.default)
        if before != after:
            detail = f"default {before} -> {after}"
            yield Change("default-changed", Effect.DEFAULT, detail, old.where.at, new.where.at)

    def _object(self, old: Shape, new: Shape) -> Iterator[Change]:
        names = dict.fromkeys([*old.properties, *old.required, *new.properties, *new.required])
        changes = [c for name in names for c in _prefix(self._property(old, new, name), name)]
        yield from self._renames(old, new, changes)
        yield from self._additional(old, new)

    def _renames(self, old: Shape, new: Shape, changes: list[Change]) -> Iterator[Change]:
        """A field removed while one with the same schema is added reads as a rename."""
        added = [
            c.path[0]
            for c in changes
            if len(c.path) == 1 and c.old is None and c.path[0] in new.properties
        ]
        for change in changes:
            gone = change.path[0] if len(change.path) == 1 else None
            if change.kind == "property-removed" and gone in old.properties:
                before = tuple(old.properties[gone])
                same = [n for n in added if not self.compare(before, tuple(new.properties[n]))]
                if len(same) == 1:
                    change = replace(change, detail=f"{change.detail} (renamed to '{same[0]}'?)")
            yield change

    def _visible(self, shape: Shape, name: str) -> bool:
        nodes = shape.properties.get(name)
        if nodes is None:
            return name in shape.required
        prop = self.shape(tuple(nodes))
        return not (prop.read_only if self.view == "request" else prop.write_only)

    def _property(self, old: Shape, new: Shape, name: str) -> Iterator[Change]:
        in_old, in_new = self._visible(old, name), self._visible(new, name)
        was, now = name in old.required and in_old, name in new.required and in_new
        before, after = old.properties.get(name), new.properties.get(name)
        old_at = old.sites.get(name, old.where.at)
        new_at = new.sites.get(name, new.where.at)
        if in_old and not in_new:
            effect = Effect.WIDENS if new.open else Effect.BOTH if was else Effect.NARROWS
            yield Change("property-removed", effect, f"field '{name}' removed", old_at, None)
            return
        if in_new and not in_old:
            if old.open:
                effect = Effect.NARROWS if now else Effect.NONE
            else:
                effect = Effect.BOTH if now else Effect.WIDENS
            kind = "property-required" if now else "property-added"
            label = "added as required" if now else "added"
            yield Change(kind, effect, f"field '{name}' {label}", None, new_at)
            return
        if not in_old:
            return
        if was != now:
            kind, effect = (
                ("property-required", Effect.NARROWS)
                if now
                else ("property-optional", Effect.WIDENS)
            )
            label = "now required" if now else "now optional"
            yield Change(kind, effect, f"field '{name}' {label}", old_at, new_at)
        if before or after:  # a required name without a schema allows any value
            old_nodes = tuple(before) if before else _any(old)
            yield from self.compare(old_nodes, tuple(after) if after else _any(new))

    def _additional(self, old: Shape, new: Shape) -> Iterator[Change]:
        before, after = old.additional, new.additional
        if before is True and after is True:
            return
        at = (old.where.at, new.where.at)
        if before is False or after is False:
            if before is not after:
                closed = after is False
                effect = Effect.NARROWS if closed else Effect.WIDENS
                detail = (
                    "unknown fields now rejected (additionalProperties: false)"
                    if closed
                    else "unknown fields now allowed (additionalProperties no longer false)"
                )
                yield Change("object-closed" if closed else "object-opened", effect, detail, *at)
            return
        old_nodes = _any(old) if before is True else tuple(before)
        new_nodes = _any(new) if after is True else tuple(after)
        yield from _prefix(self.compare(old_nodes, new_nodes), "{}")

    def _array(self, old: Shape, new: Shape) -> Iterator[Change]:
        if old.items is None and new.items is None:
            return
        before = tuple(old.items) if old.items is not None else _any(old)
        after = tuple(new.items) if new.items is not None else _any(new)
        yield from _prefix(self.compare(before, after), "[]")

    def _alternatives(self, old: Shape, new: Shape) -> Iterator[Change]:
        if old.discriminator and new.discriminator and old.discriminator != new.discriminator:
            detail = f"discriminator property '{old.discriminator}' -> '{new.discriminator}'"
            yield Change("discriminator-changed", Effect.BOTH, detail, old.where.at, new.where.at)
        pairs, lost, gained = pair_alternatives(self, old, new)
        for before, after in pairs:
            yield from self.compare(before, after)
        for head in lost:
            detail = f"alternative {_name(head)} removed"
            yield Change("variant-removed", Effect.NARROWS, detail, head.at, None)
        for head in gained:
            detail = f"alternative {_name(head)} added"
            yield Change("variant-added", Effect.WIDENS, detail, None, head.at)


def _walk_refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield item
            elif key not in DATA_KEYWORDS and isinstance(item, dict | list):
                yield from _walk_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_refs(item)


def _any(shape: Shape) -> Conj:
    """The schema ``{}``, standing where a keyword was left out."""
    where = shape.where
    return (Node({}, where.at, where.resolver, "any"),)


def _uncovered(types: frozenset[str] | None, others: frozenset[str] | None) -> bool:
    if others is None:
        return False
    if types is None:
        return True
    return any(t not in others and not (t == "integer" and "number" in others) for t in types)


def _effect(*, narrows: bool, widens: bool) -> Effect | None:
    if narrows and widens:
        return Effect.BOTH
    if narrows:
        return Effect.NARROWS
    return Effect.WIDENS if widens else None


def _format_effect(before: str | None, after: str | None) -> Effect:
    if before is None:
        return Effect.NARROWS
    if after is None or (before, after) in WIDER_FORMATS:
        return Effect.WIDENS
    return Effect.NARROWS if (after, before) in WIDER_FORMATS else Effect.BOTH


def _multiple_of(before: float, after: float) -> Effect:
    if after % before == 0:
        return Effect.NARROWS
    return Effect.WIDENS if before % after == 0 else Effect.BOTH


def _types(types: frozenset[str] | None) -> str:
    return "any" if types is None else "|".join(sorted(types)) or "none"


def _values(values: Iterable[Any]) -> str:
    return ", ".join(str(v) for v in values)


def _s(items: list[Any]) -> str:
    return "s" if len(items) > 1 else ""


def _num(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def _name(head: Node) -> str:
    title = head.value.get("title") if isinstance(head.value, dict) else None
    return repr(title or head.at.pointer.rsplit("/", 1)[-1])
