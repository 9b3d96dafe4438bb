"""Pure parts of the toxics and the metrics text."""

from __future__ import annotations

import itertools

import pytest

from chaos.proxy import metrics
from chaos.proxy.toxics import REGISTRY
from chaos.proxy.toxics.timing import slice_bounds


def test_every_real_toxic_type_is_registered() -> None:
    expected = {"latency", "bandwidth", "slow_close", "timeout", "reset_peer", "slicer"}
    assert expected | {"limit_data", "noop"} == set(REGISTRY)
    assert REGISTRY["latency"].fields == ("latency", "jitter")
    assert REGISTRY["timeout"].closes_on_remove


@pytest.mark.parametrize(
    ("size", "average", "variation"), [(1000, 10, 0), (1000, 10, 5), (7, 3, 2)]
)
def test_slices_cover_the_chunk_in_order_within_bounds(
    size: int, average: int, variation: int
) -> None:
    pieces = slice_bounds(size, average, variation)
    assert pieces[0][0] == 0
    assert pieces[-1][1] == size
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
    assert all(0 < end - start <= average + variation for start, end in pieces)


def test_zero_variation_slices_evenly() -> None:
    assert {end - start for start, end in slice_bounds(1024, 8, 0)} == {8}


def test_metrics_text_has_both_families_with_labels() -> None:
    key = ("upstream", "db", "127.0.0.1:1", "x:2")
    text = metrics.render([(key, 10, 9)])
    assert "# TYPE toxiproxy_proxy_received_bytes_total counter\n" in text
    labels = 'direction="upstream",listener="127.0.0.1:1",proxy="db",upstream="x:2"'
    assert f"toxiproxy_proxy_received_bytes_total{{{labels}}} 10\n" in text
    assert f"toxiproxy_proxy_sent_bytes_total{{{labels}}} 9\n" in text
    assert metrics.render([]) == ""
