"""The Locust web UI of ``harness load --ui`` in a real browser: Debian's headless
Chromium, driven by Playwright (no browser download: it launches /usr/bin/chromium).

It starts a swarm from the form, sees requests per second above zero, switches a fault
on from the chaos panel, sees orders fail, and after the run finds the fault switched
off and its window journaled. The screenshot is kept under ``reports/test-artifacts/``.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.load.faults import read_journal
from harness.target import PROJECT_ROOT, Target
from tests.helpers import free_port, wait_until
from tests.integration.load.commands import harness_load_argv

pytestmark = pytest.mark.integration

ARTIFACTS = PROJECT_ROOT / "reports" / "test-artifacts"
FAULT, LINK = "products-link-down", "orders-products"  # orders then answer 503 fast
Ui = tuple[str, Path, "subprocess.Popen[str]"]  # the UI's URL, the output folder, the run


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip(
            "chromium is not installed: `make test` installs Debian's chromium with apt-get "
            "when it runs as root (or: apt-get install -y chromium)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def locust_ui(
    target_file: Path, tmp_path: Path
) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    port = free_port()
    log = (tmp_path / "harness-load.log").open("w")
    process = subprocess.Popen(
        harness_load_argv(target_file, tmp_path, "--ui", "--web-port", str(port)),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until(
            lambda: process.poll() is not None or _answers(url),
            timeout=90,
            what=f"the Locust UI on {url}",
        )
        assert process.poll() is None, (tmp_path / "harness-load.log").read_text()
        yield url, tmp_path / "load", process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
        log.close()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def header_number(page: Any, label: str) -> float:
    """A figure of the UI's header bar, e.g. RPS; 0 until it shows one."""
    found = re.search(rf"{label}\s+([\d.]+)", page.locator("header").inner_text())
    return float(found.group(1)) if found else 0.0


def link_enabled(target: Target, link: str) -> bool:
    proxy = httpx.get(f"{target.toxiproxy}/proxies/{link}", timeout=5).raise_for_status()
    return bool(proxy.json()["enabled"])


def test_a_fault_switched_from_the_chaos_panel_fails_orders_under_load(
    browser: Any,
    locust_ui: Ui,
    load_stack: tuple[Path, Target],
) -> None:
    url, out, process = locust_ui
    target = load_stack[1]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(url)
        page.wait_for_selector(f'#chaos-panel li[data-fault="{FAULT}"][data-state="off"]')
        page.fill("input[name=userCount]", "6")
        page.fill("input[name=spawnRate]", "6")
        page.get_by_role("button", name="Start").click()
        wait_until(lambda: header_number(page, "RPS") > 0, timeout=60, what="RPS above zero")

        page.click(f'#chaos-panel button[data-fault="{FAULT}"]')
        page.wait_for_selector(f'#chaos-panel li[data-fault="{FAULT}"][data-state="on"]')
        assert not link_enabled(target, LINK)
        page.get_by_role("tab", name="Failures").click()
        wait_until(
            lambda: "order not accepted: 503" in page.locator("body").inner_text(),
            timeout=60,
            what="failed orders in the Failures tab",
        )
        page.get_by_role("tab", name="Chaos").click()
        page.get_by_role("row").filter(has_text=FAULT).filter(has_text="ON").wait_for()
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "locust-chaos-panel.png"))
        page.close()

    # The fault is left on: ending the run switches it off and closes its window.
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    assert link_enabled(target, LINK)
    [window] = read_journal(out)
    assert (window.fault, window.source) == (FAULT, "ui")
    assert window.off is not None and window.off >= window.on
    assert FAULT in (out / "faults.csv").read_text()
