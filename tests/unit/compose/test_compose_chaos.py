"""``harness chaos run all --target compose`` runs every shipped experiment: the links
file the real Toxiproxy loads has every link they use, ``payments-kafka`` included.

The skip decision asks the target's fault proxy which links it has, so these tests load
the committed links file into a Toxiproxy-compatible server (chaos.proxy, in a thread)
and ask it; the links stay disabled, since their upstreams are compose host names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from chaos.proxy import ProxyThread
from harness.chaos.spec import experiments_in, links_of, load_experiment, missing_links
from harness.cli.chaos import EXPERIMENTS, _with_links
from harness.compose import proxy, targets
from harness.stack.topology import Topology
from harness.target import Target, load_target

pytestmark = pytest.mark.integration  # a real Toxiproxy API on a socket

SHIPPED = [load_experiment(path) for path in experiments_in(EXPERIMENTS)]
BLACKHOLE = "payments-kafka-blackhole"


def links_file(root: Path) -> list[dict[str, Any]]:
    links: list[dict[str, Any]] = json.loads((root / proxy.LINKS_FILE).read_text())
    return links


def test_the_links_file_has_every_link_the_shipped_experiments_use(root: Path) -> None:
    known = [link["name"] for link in links_file(root)]
    for experiment in SHIPPED:
        assert missing_links(experiment, known) is None, experiment.name
    blackhole = next(e for e in SHIPPED if e.name == BLACKHOLE)
    own = {link.name for link in Topology().kafka_entry_links()}
    assert own & set(links_of(blackhole)) == {"payments-kafka"}


@pytest.fixture
def compose_target(root: Path, monkeypatch: pytest.MonkeyPatch) -> Target:
    monkeypatch.setenv("HARNESS_ADMIN_EMAIL", "admin@example.com")
    monkeypatch.setenv("HARNESS_ADMIN_PASSWORD", "not-a-secret")
    return load_target(root / targets.HOST_VIEW)


@contextmanager
def serving(links: list[dict[str, Any]]) -> Iterator[str]:
    """A fault proxy with these links (disabled, on any free port); its API URL."""
    config = [{**link, "listen": "127.0.0.1:0", "enabled": False} for link in links]
    with ProxyThread(port=0, config=config) as running:
        yield running.url


def test_run_all_against_compose_skips_nothing(
    root: Path, compose_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(links_file(root)) as url:
        runnable = _with_links(SHIPPED, replace(compose_target, toxiproxy=url), every=True)
    assert [e.name for e in runnable] == [e.name for e in SHIPPED]
    assert BLACKHOLE in [e.name for e in runnable]
    assert "skipped" not in capsys.readouterr().out


def test_without_the_payments_kafka_link_run_all_skips_what_needs_it_and_says_why(
    root: Path, compose_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    without = [link for link in links_file(root) if link["name"] != "payments-kafka"]
    with serving(without) as url:
        runnable = _with_links(SHIPPED, replace(compose_target, toxiproxy=url), every=True)
    needing = {e.name for e in SHIPPED if "payments-kafka" in links_of(e)}
    assert needing == {BLACKHOLE, "kafka-down"}
    assert [e.name for e in runnable] == [e.name for e in SHIPPED if e.name not in needing]
    out = capsys.readouterr().out
    for name in needing:
        assert f"skipped {name}:" in out
    assert "'payments-kafka' not on the target's" in out
