"""Load an AsyncAPI document (3.0, or 2.x) into a ``ContractIndex``.

asyncapi-python can load AsyncAPI 3 documents too, but its loader keeps no channel ids
or JSON pointers, prints warnings to stdout and reports problems without a location, so
the checks use this small loader; both read the same file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from harness.contracts.asyncapi_v2 import build_v2_index
from harness.contracts.asyncapi_v3 import build_v3_index
from harness.contracts.errors import ContractError
from harness.contracts.model import ContractIndex
from harness.contracts.refs import Resolver
from harness.contracts.source import read_document
from harness.contracts.spec_schema import spec_problems

_SHOWN_PROBLEMS = 5


def load_asyncapi(path: str | Path, *, check_spec: bool = True) -> ContractIndex:
    """Read, resolve and index an AsyncAPI file; ContractError names file and place.

    ``check_spec`` also validates a 3.0 document against the official JSON Schema.
    """
    source = Path(os.path.normpath(path))
    return build_index(read_document(source), source=source, check_spec=check_spec)


def build_index(document: Any, *, source: Path, check_spec: bool = True) -> ContractIndex:
    """Index an already parsed document; relative-file refs resolve next to ``source``."""
    version = asyncapi_version(document, source=source)
    if check_spec and version.startswith("3.0."):
        _raise_spec_problems(document, source)
    resolver = Resolver(source, document)
    if version.startswith("2."):
        return build_v2_index(document, resolver, version=version)
    return build_v3_index(document, resolver, version=version)


def asyncapi_version(document: Any, *, source: Path) -> str:
    """The document's ``asyncapi`` version; refuses what is not AsyncAPI 2.x or 3.x."""
    if document is None:
        raise ContractError("the file is empty; expected an AsyncAPI document", source=source)
    if not isinstance(document, Mapping):
        raise ContractError(
            f"not an AsyncAPI document: the top level is a {type(document).__name__}, "
            "expected a mapping with an 'asyncapi' field",
            source=source,
            pointer="/",
        )
    version = document.get("asyncapi")
    if version is None:
        openapi = "openapi" in document or "swagger" in document
        raise ContractError(
            "not an AsyncAPI document: there is no 'asyncapi' version field at the top level",
            source=source,
            pointer="/",
            hint="this is an OpenAPI document; AsyncAPI describes the events"
            if openapi
            else "start the document with asyncapi: 3.0.0",
        )
    if not isinstance(version, str) or not re.fullmatch(r"[23]\.\d+\.\d+.*", version):
        raise ContractError(
            f"unsupported AsyncAPI version {version!r}; supported: 2.x and 3.x, "
            "written as a string such as '3.0.0'",
            source=source,
            pointer="/asyncapi",
        )
    return version


def _raise_spec_problems(document: Any, source: Path) -> None:
    problems = spec_problems(document)
    if not problems:
        return
    first, rest = problems[0], problems[1:_SHOWN_PROBLEMS]
    text = f"does not follow the AsyncAPI 3.0.0 schema: {first.message}"
    if rest:
        text += "".join(f"\n  also {problem}" for problem in rest)
    if len(problems) > _SHOWN_PROBLEMS:
        text += f"\n  ... {len(problems) - _SHOWN_PROBLEMS} more"
    raise ContractError(text, source=source, pointer=first.pointer or "/")
