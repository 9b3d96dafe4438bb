"""``harness chaos run NAME --target compose`` talks to the real Toxiproxy of the compose
stack: the URL comes from the generated target files, the link names from the links file
that Toxiproxy loads, both generated from the same registry as the embedded stack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.chaos.spec import experiments_in, links_of, load_experiment, missing_links
from harness.compose.proxy import LINKS_FILE
from harness.run.targets import COMPOSE_TARGET, resolve_target
from harness.stack.topology import Topology
from harness.target import load_target

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = [load_experiment(p) for p in experiments_in(ROOT / "chaos" / "experiments")]
TOPOLOGY = Topology()
# A service's own Kafka link (payments-kafka): an entry proxy embedded, a listener in compose.
OWN_KAFKA_LINKS = {link.name for link in TOPOLOGY.kafka_entry_links()}


@pytest.fixture(autouse=True)
def admin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARNESS_ADMIN_EMAIL", "admin@example.com")
    monkeypatch.setenv("HARNESS_ADMIN_PASSWORD", "not-a-secret")


def compose_links() -> list[str]:
    return [link["name"] for link in json.loads((ROOT / LINKS_FILE).read_text())]


def test_target_compose_is_the_real_toxiproxy_on_the_hosts_loopback(tmp_path: Path) -> None:
    with resolve_target("compose", state_dir=tmp_path, port_base=8000, say=print) as target:
        assert target.toxiproxy == f"http://127.0.0.1:{TOPOLOGY.proxy_api_port}"
    assert not (tmp_path / "stack.json").exists()  # nothing embedded was started
    network = load_target(ROOT / "targets" / "compose.network.yaml")
    assert network.toxiproxy == f"http://toxiproxy:{TOPOLOGY.proxy_api_port}"
    assert COMPOSE_TARGET == ROOT / "targets" / "compose.yaml"


def test_compose_toxiproxy_has_every_link_the_shipped_experiments_use() -> None:
    known = compose_links()
    assert known == [link.name for link in TOPOLOGY.links() + TOPOLOGY.kafka_entry_links()]
    used = {name for experiment in SHIPPED for name in links_of(experiment)}
    assert used & OWN_KAFKA_LINKS and used <= set(known)
    runnable = [e.name for e in SHIPPED if missing_links(e, known) is None]
    assert runnable == [e.name for e in SHIPPED]


def test_an_experiment_on_a_link_the_proxy_lacks_is_refused_by_name() -> None:
    [blackhole] = [e for e in SHIPPED if e.name == "payments-kafka-blackhole"]
    older = [name for name in compose_links() if name not in OWN_KAFKA_LINKS]
    problem = missing_links(blackhole, older)
    assert problem is not None
    assert problem.startswith(str(blackhole.path))
    assert "link 'payments-kafka' not on the target's fault proxy" in problem
    assert "orders-products" in problem  # the links it does have, to choose from


def test_a_misspelt_link_gets_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(
        "title: t\nhypothesis: {}\nmethod: [{link: {name: orders-product, enabled: false}}]\n"
        "rollbacks: [{link: {name: orders-product, enabled: true}}]\n"
    )
    problem = missing_links(load_experiment(path), compose_links())
    assert problem is not None and "(did you mean 'orders-products'?)" in problem
    assert missing_links(load_experiment(path), ["orders-product"]) is None


def test_links_of_reads_the_method_and_the_rollbacks(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(
        "title: t\nhypothesis: {}\n"
        "method: [{link: {name: a, enabled: false}}, {wait: 1},"
        " {toxic: {link: b, type: latency}}]\n"
        "rollbacks: [{remove_toxic: {link: b, name: x}}, {link: {name: c, enabled: true}}]\n"
    )
    assert links_of(load_experiment(path)) == ["a", "b", "c"]
