"""JSON in and out the way Go's encoding/json does it, so clients see the same bytes.

Reading: a body holds one JSON value (trailing bytes are ignored, like Go's decoder);
object keys match struct fields exactly or case-insensitively; ``null`` leaves a field
at its default; a value of the wrong type is refused with Go's wording. Writing:
compact, UTF-8, ``<``, ``>`` and ``&`` escaped, float32 numbers in shortest form.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Mapping, Sequence
from typing import Any

from chaos.proxy.errors import bad_request_body

_DECODER = json.JSONDecoder()
_INT64 = 2**63
_FLOAT32_MAX = 3.4028234663852886e38
_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def decode(body: bytes) -> Any:
    """Parse the first JSON value of ``body``, or raise 400 ``bad request body: ...``."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad_request_body(f"invalid UTF-8 at byte {exc.start}") from None
    text = text.lstrip(" \t\r\n")
    if not text:
        raise bad_request_body("EOF")
    try:
        value, _ = _DECODER.raw_decode(text)
    except json.JSONDecodeError as exc:
        raise bad_request_body(f"invalid JSON: {exc}") from None
    return value


def kind(value: Any) -> str:
    """The JSON kind of a decoded value, as Go names it in error messages."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def expect_object(value: Any, go_type: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad_request_body(
            f"json: cannot unmarshal {kind(value)} into Go value of type {go_type}"
        )
    return value


def expect_array(value: Any, go_type: str) -> list[Any]:
    if not isinstance(value, list):
        raise bad_request_body(
            f"json: cannot unmarshal {kind(value)} into Go value of type {go_type}"
        )
    return value


def pick(
    obj: Mapping[str, Any], struct_name: str, fields: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """Read the known ``(key, go_type)`` fields of ``obj``; unknown keys are ignored.

    Go types understood: ``string``, ``bool``, ``int64``, ``float32`` and ``raw`` (any
    value, checked by the caller). Absent and ``null`` fields are left out.
    """
    by_fold = {key.casefold(): (key, go_type) for key, go_type in fields}
    exact = dict(fields)
    out: dict[str, Any] = {}
    for raw_key, value in obj.items():
        if raw_key in exact:
            key, go_type = raw_key, exact[raw_key]
        elif raw_key.casefold() in by_fold:
            key, go_type = by_fold[raw_key.casefold()]
        else:
            continue
        if value is None:
            continue
        out[key] = _convert(value, go_type, f"{struct_name}.{key}")
    return out


def _convert(value: Any, go_type: str, where: str) -> Any:
    ok = {
        "string": isinstance(value, str),
        "bool": isinstance(value, bool),
        "int64": isinstance(value, int) and not isinstance(value, bool),
        "float32": isinstance(value, int | float) and not isinstance(value, bool),
        "raw": True,
    }[go_type]
    what = kind(value)
    if ok and go_type == "int64" and not -_INT64 <= value < _INT64:
        ok, what = False, f"number {value}"
    if ok and go_type == "float32" and not (math.isfinite(value) and abs(value) <= _FLOAT32_MAX):
        ok, what = False, f"number {value}"
    if not ok and go_type == "int64" and isinstance(value, float):
        what = f"number {value!r}"
    if not ok:
        raise bad_request_body(
            f"json: cannot unmarshal {what} into Go struct field {where} of type {go_type}"
        )
    return float32(value) if go_type == "float32" else value


def float32(value: float) -> float | int:
    """Round to float32 and back to the shortest decimal Go prints for it."""
    f32 = struct.unpack("f", struct.pack("f", value))[0]
    if f32.is_integer():
        return int(f32)
    for digits in range(1, 10):
        text = f"{f32:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == f32:
            return float(text)
    return float(f32)


def dumps(value: Any) -> bytes:
    """Compact JSON, escaped like Go's json.Marshal."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if any(ch in text for ch in _ESCAPES):
        text = "".join(_ESCAPES.get(ch, ch) for ch in text)
    return text.encode("utf-8")
