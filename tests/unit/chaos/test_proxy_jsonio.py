"""JSON written like Go's encoding/json, read with Go's errors."""

from __future__ import annotations

import pytest

from chaos.proxy import jsonio
from chaos.proxy.errors import ApiError


def test_dumps_is_compact_and_escapes_like_go() -> None:
    assert jsonio.dumps({"a": "<&>", "b": [1, 0.5]}) == b'{"a":"\\u003c\\u0026\\u003e","b":[1,0.5]}'


@pytest.mark.parametrize(("value", "shown"), [(1.0, 1), (0.2, 0.2), (1 / 3, 0.33333334)])
def test_float32_round_trips_in_shortest_form(value: float, shown: float) -> None:
    assert jsonio.float32(value) == shown


def test_decode_reads_the_first_value_and_ignores_the_rest() -> None:
    assert jsonio.decode(b'  {"a": 1} trailing') == {"a": 1}


@pytest.mark.parametrize(("body", "detail"), [(b"", "EOF"), (b"\xff", "invalid UTF-8")])
def test_decode_errors_are_bad_request_body(body: bytes, detail: str) -> None:
    with pytest.raises(ApiError) as caught:
        jsonio.decode(body)
    assert caught.value.status == 400
    assert caught.value.message.startswith(f"bad request body: {detail}")


def test_pick_skips_null_and_unknown_keys() -> None:
    fields = (("name", "string"), ("enabled", "bool"))
    assert jsonio.pick({"name": None, "x": 1, "Enabled": True}, "P", fields) == {"enabled": True}
