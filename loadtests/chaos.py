"""Chaos under load, on the Locust side: the fault switch of this run, the headless
schedule, and the chaos panel in the web UI (loadtests/chaos_panel.py).

Configured by ``harness load`` through the environment:

- ``HARNESS_LOAD_TOXIPROXY``: the target's Toxiproxy API; without it there are no faults.
- ``HARNESS_LOAD_EXPERIMENTS``: the experiments folder (default chaos/experiments).
- ``HARNESS_LOAD_OUT``: where the fault journal goes (faults.json, faults.csv).
- ``HARNESS_LOAD_FAULTS``: a schedule, ``NAME@START-STOP,...`` (seconds into the run).

Only the master (or the single local process) switches faults; workers never do.
Faults still on when the run stops, or when Locust quits, are switched off.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from locust import events
from locust.env import Environment
from locust.runners import WorkerRunner

from harness.chaos.world import Toxiproxy
from harness.errors import HarnessError
from harness.load.faults import Scheduled, due, parse_schedule
from harness.load.switch import FaultSwitch, available_faults
from harness.target import PROJECT_ROOT

log = logging.getLogger("harness.load.chaos")
_state: dict[str, FaultSwitch] = {}


def current() -> FaultSwitch | None:
    """This run's fault switch (None on workers and when no fault proxy was given)."""
    return _state.get("switch")


def switch_from_env() -> FaultSwitch | None:
    url = os.environ.get("HARNESS_LOAD_TOXIPROXY")
    if not url:
        return None
    folder = Path(os.environ.get("HARNESS_LOAD_EXPERIMENTS", PROJECT_ROOT / "chaos/experiments"))
    proxy = Toxiproxy(url)
    out = Path(os.environ.get("HARNESS_LOAD_OUT", PROJECT_ROOT / "reports" / "load"))
    return FaultSwitch(proxy, available_faults(proxy, folder), out)


class Scheduler:
    """Switches the scheduled faults as the run's clock passes their windows."""

    def __init__(self, schedule: list[Scheduled]) -> None:
        self.schedule = schedule
        self.done: set[Scheduled] = set()

    @classmethod
    def from_env(cls) -> Scheduler:
        return cls(parse_schedule(os.environ.get("HARNESS_LOAD_FAULTS", "")))

    def tick(self, elapsed: float) -> None:
        switch = current()
        if switch is None or not self.schedule:
            return
        for entry, on in due(self.schedule, elapsed, active=switch.active, done=self.done):
            try:
                switch.switch(entry.fault, on, source="schedule")
            except Exception:
                log.exception("scheduled fault %s could not be switched", entry.fault)
            if not on:
                self.done.add(entry)


@events.init.add_listener
def _on_init(environment: Environment, **_: Any) -> None:
    if isinstance(environment.runner, WorkerRunner):
        return
    try:
        switch = switch_from_env()
    except HarnessError as exc:  # the load runs on; only the faults are missing
        log.error("no chaos faults in this run: %s", exc)
        return
    if switch is None:
        return
    _state["switch"] = switch
    if environment.web_ui is not None:
        from loadtests.chaos_panel import install

        install(environment.web_ui, switch)


@events.test_stop.add_listener
def _on_test_stop(**_: Any) -> None:
    _switch_all_off()


@events.quit.add_listener
def _on_quit(**_: Any) -> None:
    _switch_all_off()


def _switch_all_off() -> None:
    switch = current()
    if switch is None:
        return
    try:
        left = switch.clear()
    except Exception:
        log.exception("faults left on could not be switched off")
        return
    if left:
        log.warning("switched off the faults left on at the end: %s", ", ".join(left))
