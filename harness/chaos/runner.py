"""Run one experiment: hypothesis before, the method under traffic, hypothesis during,
the rollbacks always (on failure, Ctrl-C or a crashed probe; one failing rollback does
not stop the others), the hypothesis after. Writes a JSON journal."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness.chaos.probes import ProbeResult, evaluate
from harness.chaos.spec import Experiment
from harness.chaos.world import World
from harness.target import Target

Say = Callable[[str], None]
DEFAULT_RATE = 4.0


@dataclass
class Journal:
    experiment: str
    title: str
    started_at: str
    probes: dict[str, list[ProbeResult]] = field(default_factory=dict)
    actions: list[dict[str, Any]] = field(default_factory=list)
    rollbacks: list[dict[str, Any]] = field(default_factory=list)
    fault_window: tuple[float, float] = (0.0, 0.0)
    interrupted: bool = False
    error: str | None = None

    @property
    def held(self) -> bool:
        probes_held = all(r.held for results in self.probes.values() for r in results)
        rollbacks_ok = all(r["ok"] for r in self.rollbacks)
        return probes_held and rollbacks_ok and not self.interrupted and self.error is None

    def to_json(self, world: World) -> str:
        body = asdict(self)
        body["held"] = self.held
        body["samples"] = [asdict(s) for s in world.window(0)]
        body["breaker_marks"] = [asdict(m) for m in world.breaker_marks]
        return json.dumps(body, indent=2, default=str)


def act(world: World, action: dict[str, Any]) -> str:
    [(kind, args)] = action.items()
    if kind == "toxic":
        name = world.proxy.add_toxic(args["link"], args)
        return f"added {args['type']} toxic {name} on {args['link']}"
    if kind == "remove_toxic":
        world.proxy.remove_toxic(args["link"], args["name"])
        return f"removed toxic {args['name']} from {args['link']}"
    if kind == "link":
        world.proxy.set_enabled(args["name"], args["enabled"])
        return f"link {args['name']} {'enabled' if args['enabled'] else 'disabled'}"
    if kind == "wait":
        world._stop.wait(float(args))  # wakes early only when the run is stopping
        return f"waited {float(args):g} s"
    raise ValueError(f"unknown action {kind}")


def run_experiment(experiment: Experiment, target: Target, say: Say) -> tuple[Journal, World]:
    world = World(target)
    journal = Journal(experiment.name, experiment.title, dt.datetime.now(dt.UTC).isoformat())
    traffic = experiment.body.get("traffic", {})
    world.watch_breakers()
    world.start_traffic(traffic.get("rate", DEFAULT_RATE), traffic.get("decline_share", 0.0))
    start = end = world.now()
    try:
        journal.probes["before"] = check(world, experiment.probes("before"), (0, 0), say, "before")
        start = world.now()
        for action in experiment.body["method"]:
            journal.actions.append({"at": world.now(), "action": action, "did": act(world, action)})
            say(f"  {journal.actions[-1]['did']}")
        end = world.now()
        journal.probes["during"] = check(
            world, experiment.probes("during"), (start, end), say, "during"
        )
    except KeyboardInterrupt:
        journal.interrupted = True
        end = world.now()
        say("  interrupted: rolling back")
    except Exception as exc:
        journal.error = f"{type(exc).__name__}: {exc}"
        end = world.now()
        say(f"  failed: {journal.error}; rolling back")
    finally:
        journal.rollbacks = roll_back(world, experiment.body["rollbacks"], say)
        journal.fault_window = (start, end)
        world.fault_windows.append((start, end))
    if not journal.interrupted and journal.error is None:
        journal.probes["after"] = check(
            world, experiment.probes("after"), (start, end), say, "after"
        )
    world.stop_traffic()
    world.stop_watching()
    return journal, world


QUIESCENT = ("converge", "balance", "no_duplicates")  # judged on the final set of orders


def check(
    world: World, probes: list[dict[str, Any]], window: tuple[float, float], say: Say, phase: str
) -> list[ProbeResult]:
    results = []
    for probe in probes:
        if next(iter(probe)) in QUIESCENT:
            world.stop_traffic()  # the traffic stops first, so the set of orders is final
        try:
            result = evaluate(world, probe, window)
        except Exception as exc:  # a crashed probe is a deviation, and rollbacks still run
            result = ProbeResult(next(iter(probe)), False, f"probe crashed: {exc!r}")
        say(f"  {phase:<7}{result.line()}")
        results.append(result)
    return results


def roll_back(world: World, rollbacks: list[dict[str, Any]], say: Say) -> list[dict[str, Any]]:
    done = []
    for action in rollbacks:
        try:
            did, ok = act(world, action), True
        except Exception as exc:
            did, ok = f"rollback failed: {exc!r}", False
        say(f"  rollback: {did}")
        done.append({"at": world.now(), "action": action, "did": did, "ok": ok})
    return done


def write_journal(journal: Journal, world: World, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = journal.started_at.replace(":", "").replace("-", "")[:15]
    path = folder / f"{journal.experiment}-{stamp}.json"
    path.write_text(journal.to_json(world))
    return path
