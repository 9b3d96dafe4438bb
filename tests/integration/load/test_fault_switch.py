"""The fault switch against the real fault proxy (chaos.proxy in a thread, spoken to
over its Toxiproxy HTTP API): switching on and off, the journal, undo when the proxy
refuses half-way, and the clean-up of faults a dead Locust left on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chaos.proxy.thread import ProxyThread
from harness.chaos.world import Toxiproxy
from harness.load.faults import Fault, Window, link_cut, read_journal, write_journal
from harness.load.switch import FaultError, FaultSwitch, switch_off_leftovers
from harness.target import PROJECT_ROOT

pytestmark = pytest.mark.integration

LINK = "orders-products"
SLOW = {"link": LINK, "name": "slow", "type": "latency", "attributes": {"latency": 500}}
HALF = Fault(  # its second step names a link the proxy does not have
    "half",
    "a fault that fails half-way",
    on=({"toxic": SLOW}, {"toxic": {**SLOW, "link": "missing"}}),
    off=({"remove_toxic": {"link": LINK, "name": "slow"}},),
)


@pytest.fixture
def proxy() -> Iterator[Toxiproxy]:
    links = [{"name": LINK, "listen": "127.0.0.1:0", "upstream": "127.0.0.1:9"}]
    with ProxyThread(port=0, config=links) as running:
        yield Toxiproxy(running.url)


def test_a_fault_goes_on_and_off_and_is_journaled(proxy: Toxiproxy, tmp_path: Path) -> None:
    switch = FaultSwitch(proxy, [link_cut(LINK)], tmp_path)
    switch.switch(f"cut-{LINK}", True)
    assert proxy.disabled() == [LINK] and switch.active == {f"cut-{LINK}"}
    switch.switch(f"cut-{LINK}", False)
    assert proxy.disabled() == [] and switch.active == set()
    [window] = read_journal(tmp_path)
    assert window.source == "ui" and window.off is not None


def test_a_refused_step_undoes_the_fault_and_records_nothing(
    proxy: Toxiproxy, tmp_path: Path
) -> None:
    switch = FaultSwitch(proxy, [HALF], tmp_path)
    with pytest.raises(FaultError, match="refused"):
        switch.switch("half", True)
    assert proxy.toxics() == {LINK: []} and read_journal(tmp_path) == []
    with pytest.raises(FaultError, match="no fault named 'nope'"):
        switch.switch("nope", True)


def test_faults_left_on_are_switched_off_after_the_run(proxy: Toxiproxy, tmp_path: Path) -> None:
    proxy.set_enabled(LINK, False)  # as a Locust killed mid-fault would leave it
    write_journal(tmp_path, [Window(f"cut-{LINK}", "ui", 1000.0)])
    left = switch_off_leftovers(
        str(proxy.http.base_url), PROJECT_ROOT / "chaos/experiments", tmp_path
    )
    assert left == [f"cut-{LINK}"] and proxy.disabled() == []
    assert read_journal(tmp_path)[0].off is not None
