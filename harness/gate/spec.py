"""Is a document valid OpenAPI 3.0/3.1 or AsyncAPI 2.6/3.0? Checked against the official
JSON Schemas (vendored: ``harness/gate/schemas/README.md``) with jsonschema-rs.

jsonschema-rs is used rather than jsonschema because the OpenAPI 3.1 schema is slow to
evaluate in pure Python (about 0.4 s for this project's gateway contract, 1 ms here),
and the gate must stay well inside a CI step's patience.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

from harness.contracts.refs import join_pointer
from harness.contracts.spec_schema import SCHEMA_FILE as ASYNCAPI_3_SCHEMA
from harness.contracts.spec_schema import SpecProblem
from harness.errors import FeatureUnavailableError

Kind = Literal["openapi", "asyncapi"]
_HERE = Path(__file__).with_name("schemas")
SCHEMAS: dict[tuple[Kind, str], Path] = {
    ("openapi", "3.0"): _HERE / "openapi-3.0.json",
    ("openapi", "3.1"): _HERE / "openapi-3.1.json",
    ("asyncapi", "2.6"): _HERE / "asyncapi-2.6.0.json",
    ("asyncapi", "3.0"): ASYNCAPI_3_SCHEMA,
}
_MAX_MESSAGE = 200
_COMBINATORS = re.compile(r"is not valid under any of the schemas listed|is valid under more than")


def _jsonschema_rs() -> Any:
    """Imported on first use, so the rest of the CLI works without it."""
    try:
        import jsonschema_rs
    except ImportError:
        raise FeatureUnavailableError(
            "harness gate needs the jsonschema-rs package: pip install 'jsonschema-rs>=0.61,<1'"
        ) from None
    return jsonschema_rs


@functools.cache
def _validator(kind: Kind, version: str) -> Any:
    schema = json.loads(SCHEMAS[(kind, version)].read_text(encoding="utf-8"))
    return _jsonschema_rs().validator_for(schema)


def spec_violations(document: Any, *, kind: Kind, version: str) -> list[SpecProblem]:
    """Where ``document`` breaks its specification's schema, most specific problem first.

    For OpenAPI 3.1, whose schema leaves Schema Objects open, every schema is also
    checked against the JSON Schema 2020-12 meta-schema.
    """
    problems = [
        SpecProblem(join_pointer(error.instance_path), _short(_message(error)))
        for error in _validator(kind, version).iter_errors(document)
    ]
    if kind == "openapi" and version == "3.1":
        problems += _schema_objects(document)
    # Deepest first: a oneOf failure on a parent says less than the error inside it.
    problems.sort(
        key=lambda p: (
            bool(_COMBINATORS.search(p.message)),
            -p.pointer.count("/"),
            p.pointer,
            p.message,
        )
    )
    return list(dict.fromkeys(problems))


def _schema_objects(document: Any) -> list[SpecProblem]:
    found = []
    library = _jsonschema_rs()
    for pointer, schema in _schemas(document):
        try:
            library.meta.validate(schema)
        except library.ValidationError as error:
            where = pointer + join_pointer(error.instance_path)
            found.append(SpecProblem(where, f"invalid schema: {_short(error.message)}"))
    return found


def _schemas(document: Any) -> Iterator[tuple[str, Any]]:
    """Every Schema Object of an OpenAPI document that is not behind a ``$ref``."""
    components = document.get("components") if isinstance(document, Mapping) else None
    if isinstance(components, Mapping) and isinstance(components.get("schemas"), Mapping):
        for name, schema in components["schemas"].items():
            yield join_pointer(("components", "schemas", name)), schema
    yield from _nested_schemas(document, ())


_DATA = frozenset({"example", "examples", "default", "const", "enum", "x-examples"})


def _nested_schemas(node: Any, path: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in _DATA or path[:2] == ("components", "schemas"):
                continue
            if key == "schema" and isinstance(value, Mapping | bool):
                yield join_pointer((*path, key)), value
            elif isinstance(value, Mapping | list):
                yield from _nested_schemas(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _nested_schemas(item, (*path, str(index)))


def _message(error: Any) -> str:
    """jsonschema-rs's message, made specific where it is vague (enums, oneOf/anyOf)."""
    kind = error.kind
    options = getattr(kind, "options", None)
    if isinstance(options, list):
        allowed = ", ".join(json.dumps(option) for option in options)
        return f"{json.dumps(error.instance)} is not one of {allowed}"
    context = getattr(kind, "context", None)
    if context:
        reasons = dict.fromkeys(sub.message for branch in context for sub in branch)
        if reasons:
            return "matches none of the allowed forms: " + "; or ".join(list(reasons)[:3])
    return str(error.message)


def _short(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 3] + "..."
