"""Switching faults on and off through a Toxiproxy API (chaos.proxy or the real server),
journaling every switch. Used by the Locust master (chaos panel, scheduled faults) and
by the harness after a run, to remove faults a dead Locust left on."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from harness.chaos.world import Toxiproxy
from harness.errors import HarnessError
from harness.load.faults import (
    Action,
    Fault,
    Window,
    faults_from_experiments,
    link_cut,
    read_journal,
    write_journal,
)


class FaultError(HarnessError):
    """A fault could not be switched (unknown name, or the proxy refused)."""


def available_faults(proxy: Toxiproxy, experiments: Path) -> list[Fault]:
    """The experiments' faults, then a cut for every link the proxy knows."""
    try:
        links = sorted(proxy.toxics())
    except httpx.HTTPError as exc:
        raise FaultError(f"the fault proxy did not list its links: {exc}") from exc
    return [*faults_from_experiments(experiments), *(link_cut(link) for link in links)]


def switch_off_leftovers(url: str, experiments: Path, folder: Path) -> list[str]:
    """After a run: switch off what the journal says is still on (a Locust killed
    before its own clean-up); the names switched off."""
    windows = read_journal(folder)
    if all(w.off is not None for w in windows):
        return []
    proxy = Toxiproxy(url)
    faults = available_faults(proxy, experiments)
    return FaultSwitch(proxy, faults, folder, windows=windows).clear()


class FaultSwitch:
    def __init__(
        self,
        proxy: Toxiproxy,
        faults: Sequence[Fault],
        folder: Path,
        *,
        windows: Sequence[Window] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.proxy = proxy
        self.faults = {f.name: f for f in faults}
        self.folder = folder
        self.clock = clock
        self.windows = list(windows)
        self._lock = threading.Lock()
        write_journal(folder, self.windows)

    @property
    def active(self) -> set[str]:
        return {w.fault for w in self.windows if w.off is None}

    def switch(self, name: str, on: bool, *, source: str = "ui") -> None:
        fault = self._fault(name)
        with self._lock:
            if on == (name in self.active):
                return
            if on:
                self._apply(fault.on, undo=fault.off)
                self.windows.append(Window(name, source, self.clock()))
            else:
                self._apply(fault.off, undo=())
                self.windows = [
                    replace(w, off=self.clock()) if w.fault == name and w.off is None else w
                    for w in self.windows
                ]
            write_journal(self.folder, self.windows)

    def clear(self) -> list[str]:
        """Switch every fault still on off; the names that were on."""
        left = sorted(self.active)
        for name in left:
            self.switch(name, False)
        return left

    def state(self) -> list[dict[str, Any]]:
        """What the panel shows: every fault, on or off, with its windows."""
        return [
            {
                "name": f.name,
                "title": f.title,
                "links": list(f.links),
                "on": f.name in self.active,
                "windows": [
                    {"on": w.on, "off": w.off, "source": w.source}
                    for w in self.windows
                    if w.fault == f.name
                ],
            }
            for f in self.faults.values()
        ]

    def _fault(self, name: str) -> Fault:
        if name not in self.faults:
            raise FaultError(f"no fault named {name!r}; known: {', '.join(self.faults)}")
        return self.faults[name]

    def _apply(self, actions: Sequence[Action], *, undo: Sequence[Action]) -> None:
        """Run the actions; when one fails, undo (best effort) and report the failure."""
        for action in actions:
            try:
                self._act(action)
            except (httpx.HTTPError, FaultError) as exc:
                for step in undo:  # best effort: the proxy is failing, the first error says why
                    with contextlib.suppress(httpx.HTTPError):
                        self._act(step)
                raise FaultError(f"the fault proxy refused {action}: {exc}") from exc

    def _act(self, action: Action) -> None:
        [(kind, args)] = action.items()
        if kind == "toxic":
            self.proxy.add_toxic(args["link"], args)
        elif kind == "remove_toxic":
            self.proxy.remove_toxic(args["link"], args["name"])
        elif kind == "link":
            self.proxy.set_enabled(args["name"], args["enabled"])
        else:  # the experiment format grew an action this switch does not know
            raise FaultError(f"cannot switch the action {kind!r}; known: toxic, remove_toxic, link")
