"""Faults to switch during a load run, their schedule and their journal (pure).

A fault is what a chaos experiment does to the network, without its waits and probes:
switching it on runs the experiment's ``method`` actions (toxics, links cut), switching
it off runs its ``rollbacks``. Every link of the fault proxy also gives a plain
``cut-<link>`` fault. Each switch is journaled as a window (epoch seconds), which the
results turn into CSV/JSON and shaded bands on the charts.

A headless schedule is ``NAME@START-STOP`` (seconds into the run), comma separated.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from harness.chaos.spec import experiments_in, load_experiment
from harness.errors import ConfigError

Action = dict[str, Any]


@dataclass(frozen=True)
class Fault:
    name: str
    title: str
    on: tuple[Action, ...]
    off: tuple[Action, ...]

    @property
    def links(self) -> tuple[str, ...]:
        found = [_link_of(action) for action in (*self.on, *self.off)]
        return tuple(dict.fromkeys(link for link in found if link))


def _link_of(action: Action) -> str | None:
    [(kind, args)] = action.items()
    if kind == "link":
        return str(args["name"])
    return str(args["link"]) if isinstance(args, dict) and "link" in args else None


def faults_from_experiments(folder: Path) -> list[Fault]:
    """One fault per experiment file: its method (waits left out) and its rollbacks."""
    faults = []
    for path in experiments_in(folder):
        experiment = load_experiment(path)
        method = experiment.body["method"]
        faults.append(
            Fault(
                name=experiment.name,
                title=experiment.title,
                on=tuple(a for a in method if "wait" not in a),
                off=tuple(experiment.body["rollbacks"]),
            )
        )
    return faults


def link_cut(link: str) -> Fault:
    return Fault(
        name=f"cut-{link}",
        title=f"the {link} link is cut (connections refused)",
        on=({"link": {"name": link, "enabled": False}},),
        off=({"link": {"name": link, "enabled": True}},),
    )


@dataclass(frozen=True)
class Scheduled:
    fault: str
    start: float  # seconds into the run
    stop: float


def parse_schedule(text: str, known: Sequence[str] = ()) -> list[Scheduled]:
    """``NAME@START-STOP,...``; names are checked against ``known`` when it is given."""
    entries = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, _, span = part.rpartition("@")
        start_text, _, stop_text = span.partition("-")
        try:
            start, stop = float(start_text), float(stop_text)
        except ValueError:
            start, stop = -1.0, -1.0
        if not name or start < 0 or stop <= start:
            raise ConfigError(
                f"fault schedule entry {part!r}: expected NAME@START-STOP in seconds with "
                f"START < STOP, e.g. kafka-down@5-15"
            )
        if known and name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(
                f"fault schedule entry {part!r}: no fault named {name!r}; {hint}"
                f"known: {', '.join(known)}"
            )
        entries.append(Scheduled(name, start, stop))
    return entries


def due(
    schedule: Sequence[Scheduled], elapsed: float, *, active: set[str], done: set[Scheduled]
) -> list[tuple[Scheduled, bool]]:
    """Switches to make ``elapsed`` seconds into the run: (entry, True to switch on)."""
    switches = []
    for entry in schedule:
        if entry in done:
            continue
        if entry.start <= elapsed < entry.stop and entry.fault not in active:
            switches.append((entry, True))
        elif elapsed >= entry.stop:
            switches.append((entry, False))
    return switches


@dataclass(frozen=True)
class Window:
    fault: str
    source: str  # "ui" or "schedule"
    on: float  # epoch seconds
    off: float | None = None

    def spans(self, start: float, end: float) -> tuple[float, float]:
        """Seconds since ``start``; a window still open runs to ``end``."""
        return self.on - start, (self.off if self.off is not None else end) - start


def write_journal(folder: Path, windows: Iterable[Window]) -> None:
    """``faults.json`` and ``faults.csv`` in ``folder`` (rewritten on every switch)."""
    rows = list(windows)
    folder.mkdir(parents=True, exist_ok=True)
    body = {"windows": [asdict(w) for w in rows]}
    (folder / "faults.json").write_text(json.dumps(body, indent=2))
    with (folder / "faults.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["fault", "source", "switched_on", "switched_off", "seconds_on"])
        for w in rows:
            seconds = "" if w.off is None else f"{w.off - w.on:.3f}"
            writer.writerow([w.fault, w.source, _iso(w.on), _iso(w.off), seconds])


def read_journal(folder: Path) -> list[Window]:
    path = folder / "faults.json"
    if not path.exists():
        return []
    try:
        return [Window(**w) for w in json.loads(path.read_text())["windows"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: not a fault journal ({exc}); delete it and rerun") from exc


def _iso(stamp: float | None) -> str:
    return "" if stamp is None else dt.datetime.fromtimestamp(stamp, dt.UTC).isoformat()
