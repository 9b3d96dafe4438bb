"""Request bodies to records, with the real server's order of checks and messages."""

from __future__ import annotations

import pytest

from chaos.proxy import jsonio, model
from chaos.proxy.errors import ApiError


def refused(call: object, *args: object) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value


def test_proxy_create_defaults_to_enabled_and_needs_name_and_upstream() -> None:
    proxy = model.parse_proxy_create(b'{"name": "db", "upstream": "x:1"}')
    assert proxy == model.ProxyInput("db", "", "x:1", True)
    assert refused(model.parse_proxy_create, b'{"upstream": "x:1"}').message == (
        "missing required field: name"
    )
    assert refused(model.parse_proxy_create, b'{"name": "db"}').status == 400


def test_proxy_keys_match_case_insensitively_like_go() -> None:
    proxy = model.parse_proxy_create(b'{"NAME": "db", "Upstream": "x:1", "enabled": false}')
    assert (proxy.name, proxy.upstream, proxy.enabled) == ("db", "x:1", False)


def test_proxy_update_keeps_what_is_left_out_and_never_renames() -> None:
    current = model.ProxyInput("db", "127.0.0.1:1", "x:1", True)
    updated = model.parse_proxy_update(b'{"name": "other", "enabled": false}', current)
    assert updated == model.ProxyInput("db", "127.0.0.1:1", "x:1", False)


def test_populate_checks_every_entry_first_and_counts_from_one() -> None:
    body = b'[{"name": "a", "upstream": "x:1"}, {"name": "b"}]'
    assert refused(model.parse_populate, body).message == (
        "missing required field: upstream at proxy 2"
    )


def test_wrong_types_use_gos_wording() -> None:
    error = refused(model.parse_proxy_create, b'{"name": 5}')
    assert error.message == (
        "bad request body: json: cannot unmarshal number into Go struct field "
        "Proxy.name of type string"
    )


def test_toxic_create_defaults() -> None:
    spec = model.parse_toxic_create(b'{"type": "latency"}', lambda name: False)
    assert spec.to_json() == {
        "attributes": {"latency": 0, "jitter": 0},
        "name": "latency_downstream",
        "type": "latency",
        "stream": "downstream",
        "toxicity": 1,
    }


def test_toxic_stream_is_case_insensitive_but_kept_as_sent() -> None:
    spec = model.parse_toxic_create(b'{"type": "noop", "stream": "UpStream"}', lambda n: False)
    assert spec.direction is model.Direction.UPSTREAM
    assert spec.name == "noop_UpStream"


def test_toxic_checks_run_in_the_real_servers_order() -> None:
    """JSON, stream, default name, type, name clash, attributes."""
    taken = {"latency_downstream"}.__contains__
    body = b'{"type": "bogus", "stream": "sideways"}'
    assert refused(model.parse_toxic_create, body, taken).message.startswith("stream was")
    assert refused(model.parse_toxic_create, b'{"type": "bogus"}', taken).message == (
        "invalid toxic type"
    )
    body = b'{"type": "latency", "attributes": {"latency": "x"}}'
    assert refused(model.parse_toxic_create, body, taken).status == 409


def test_toxicity_is_a_float32_shown_in_shortest_form() -> None:
    spec = model.parse_toxic_create(b'{"type": "noop", "toxicity": 0.1}', lambda n: False)
    assert spec.toxicity == 0.1
    assert jsonio.dumps(spec.to_json()["toxicity"]) == b"0.1"


def test_toxic_update_merges_attributes_and_keeps_toxicity() -> None:
    current = model.parse_toxic_create(
        b'{"type": "latency", "toxicity": 0.5, "attributes": {"latency": 1, "jitter": 2}}',
        lambda n: False,
    )
    updated = model.parse_toxic_update(b'{"attributes": {"latency": 7}}', current)
    assert (dict(updated.attributes), updated.toxicity) == ({"latency": 7, "jitter": 2}, 0.5)
    assert model.parse_toxic_update(b'{"attributes": null}', current) == current


@pytest.mark.parametrize(
    "body",
    [
        b'{"type": "latency", "attributes": {"latency": -1}}',
        b'{"type": "latency", "attributes": {"latency": 1.5}}',
        b'{"type": "latency", "toxicity": -0.1}',
        b'{"type": "latency", "toxicity": "all"}',
    ],
)
def test_bad_numbers_are_400(body: bytes) -> None:
    assert refused(model.parse_toxic_create, body, lambda n: False).status == 400
