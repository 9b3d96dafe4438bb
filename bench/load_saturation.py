"""Saturation of the reference system under the harness's Locust journeys, on this machine.

Steps the number of shoppers (each step a short headless Locust run against one embedded
stack) and checks loadtests/slo.yaml after each; the saturation point is the highest
step at which every objective held. Then it measures:

- the load generator's own ceiling: one Locust process (FastHttpUser, no think time)
  against the bare FastAPI endpoint (bench/bare_app.py);
- the saga's end-to-end time (order accepted -> COMPLETED/CANCELLED) at half of
  saturation: p50 and p99;
- CPU: the generator's (Locust processes) and the rest of the machine (the system under
  test), in cores, so the reader sees which side was the bottleneck.

Bounded: about ``len(--steps) * --step-s + 2 * --step-s`` seconds plus start-up::

    python bench/load_saturation.py [--steps 8,16,32,64,96,128,192] [--step-s 15] [--direct]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/load_saturation.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.procs import (
    ROOT,
    bare_app_argv,
    cpu_seconds,
    free_port,
    machine_cpu,
    running_server,
    wait_quiet,
)
from harness.load.runner import LoadPlan, run_locust
from harness.load.seed import seed_catalog
from harness.load.slo import Objective, Verdict, evaluate, load_objectives
from harness.load.stats import StatsRow, read_stats
from harness.run.targets import target_from_state
from harness.stack.embedded import EmbeddedStack
from harness.stack.options import StackOptions
from harness.stack.ports import pick_free_port_base
from harness.stack.topology import Topology
from harness.target import Target

SLO = ROOT / "loadtests" / "slo.yaml"
BARE_LOCUSTFILE = ROOT / "loadtests" / "bare.py"
OUT = ROOT / "reports" / "bench" / "load-saturation"  # each step's Locust CSV and HTML
BARE_USERS = 32  # connections hammering the bare endpoint with no think time


@dataclass(frozen=True)
class Step:
    users: int
    rps: float
    verdicts: list[Verdict]
    rows: list[StatsRow]
    out: Path
    cores: Cores

    @property
    def held(self) -> bool:
        return all(v.held for v in self.verdicts)

    @property
    def broken(self) -> str:
        return ", ".join(v.objective.label for v in self.verdicts if not v.held) or "-"

    def saga(self, column: str) -> float | None:
        rows = [r for r in self.rows if r.method == "SAGA" and r.requests]
        return max((r.percentiles[column] for r in rows), default=None)


@dataclass(frozen=True)
class Cores:
    generator: float  # Locust: finished child processes of this script
    server: float  # the system under test's processes (and their children)
    machine: float  # everything on the machine, other users' work included


@contextmanager
def cpu_meter(server_pids: Sequence[int]) -> Iterator[Callable[[], Cores]]:
    """CPU cores used while the block ran (read the result after the block)."""
    children, server = _children_cpu(), cpu_seconds(*server_pids)
    machine, began = machine_cpu(), time.perf_counter()
    result: list[Cores] = []
    yield lambda: result[0]
    wall = time.perf_counter() - began
    result.append(
        Cores(
            generator=(_children_cpu() - children) / wall,
            server=(cpu_seconds(*server_pids) - server) / wall,
            machine=(machine_cpu() - machine).busy_s / wall,
        )
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def locust_step(plan: LoadPlan, objectives: list[Objective], server_pids: Sequence[int]) -> Step:
    wait_quiet()
    with cpu_meter(server_pids) as cores:
        run_locust(plan, say=lambda _line: None)
    rows = read_stats(plan.stats_csv)
    total = next((r for r in rows if r.name == "Aggregated"), None)
    return Step(
        users=plan.users,
        rps=total.rps if total else 0.0,
        verdicts=evaluate(objectives, rows),
        rows=rows,
        out=plan.out,
        cores=cores(),
    )


@dataclass(frozen=True)
class System:
    target: Target
    pids: tuple[int, ...]  # the stack's processes: services, broker, fault proxy

    def shoppers(self, users: int, seconds: float, out: Path) -> LoadPlan:
        return LoadPlan(
            host=self.target.gateway,
            out=out / f"users-{users}",
            users=users,
            spawn_rate=max(4.0, users / 4),  # all in within 4 s, not one burst of sign-ups
            duration=seconds,
        )


def saturate(system: System, steps: Sequence[int], seconds: float, out: Path) -> list[Step]:
    objectives = load_objectives(SLO)
    done: list[Step] = []
    for users in steps:
        step = locust_step(system.shoppers(users, seconds, out), objectives, system.pids)
        done.append(step)
        print(
            f"  {users:>4} users: {step.rps:7.1f} req/s, SLOs {'held' if step.held else 'BROKEN'}"
            f" ({step.broken}); CPU cores: generator {step.cores.generator:.2f}, "
            f"system {step.cores.server:.2f}, machine {step.cores.machine:.2f}",
            flush=True,
        )
        if not step.held:
            print(f"         most frequent failure: {top_failure(step)}")
            break
    return done


def top_failure(step: Step) -> str:
    path = step.out / "stats_failures.csv"
    rows = list(csv.DictReader(path.open())) if path.exists() else []
    if not rows:
        return "none (a latency objective broke)"
    worst = max(rows, key=lambda r: int(r["Occurrences"]))
    return f"{worst['Method']} {worst['Name']}: {worst['Error']} x{worst['Occurrences']}"


def generator_ceiling(seconds: float, users: int, out: Path) -> Step:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_server(bare_app_argv(port), ready_url=f"{url}/products/p-1") as server:
        plan = LoadPlan(
            host=url,
            out=out / "bare",
            users=users,
            spawn_rate=users,
            duration=seconds,
            locustfile=BARE_LOCUSTFILE,
        )
        return locust_step(plan, [], [server.pid])


@contextmanager
def embedded(routed: bool, where: Path) -> Iterator[System]:
    stack = EmbeddedStack(
        Topology(port_base=pick_free_port_base()), where, options=StackOptions(routed=routed)
    )
    stack.start()
    try:
        target = target_from_state(stack.state)
        seed_catalog(target)
        pids = tuple(r.pid for r in stack.state.processes.values() if r.pid is not None)
        yield System(target, pids)
    finally:
        stack.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", default="8,16,32,64,96,128,192", help="shoppers per step")
    parser.add_argument("--step-s", type=float, default=15.0, help="seconds per step")
    parser.add_argument("--direct", action="store_true", help="no fault proxy in the links")
    args = parser.parse_args(argv)
    steps = [int(s) for s in args.steps.split(",")]
    out = OUT
    with tempfile.TemporaryDirectory(prefix="load-saturation-") as scratch:
        print(f"stepping shoppers {steps}, {args.step_s:g} s each (SLOs: {SLO.name})")
        with embedded(not args.direct, Path(scratch) / "state") as system:
            done = saturate(system, steps, args.step_s, out)
            held = [s for s in done if s.held]
            if not held:
                print("the SLOs broke at the first step: lower --steps")
                return 1
            top = held[-1]
            half_users = max(1, top.users // 2)
            half = locust_step(
                system.shoppers(half_users, args.step_s, out), load_objectives(SLO), system.pids
            )
        bare = generator_ceiling(args.step_s, users=BARE_USERS, out=out)
    print(table(summary(done, top, half, bare)))
    return 0


def summary(done: list[Step], top: Step, half: Step, bare: Step) -> list[tuple[str, str]]:
    def cores(step: Step) -> str:
        c = step.cores
        return f"generator {c.generator:.2f}, system {c.server:.2f}, machine {c.machine:.2f}"

    return [
        ("saturation (SLOs held)", f"{top.users} shoppers, {top.rps:.1f} req/s"),
        ("first broken step", _first_broken(done)),
        ("CPU cores at saturation", cores(top)),
        ("saga at half saturation", _saga(half)),
        ("generator vs bare endpoint", f"{bare.rps:.0f} req/s ({BARE_USERS} users)"),
        ("CPU cores at the ceiling", cores(bare)),
        ("bottleneck at the ceiling", _bottleneck(bare)),
        ("bottleneck at saturation", _bottleneck(top)),
        ("saturation / generator ceiling", f"{top.rps / bare.rps:.3f}" if bare.rps else "-"),
        ("generator CPU per request (journeys)", _per_request(top)),
        ("generator CPU per request (bare)", _per_request(bare)),
        (
            "generator ceiling, one core (projected)",
            f"{bare.rps / bare.cores.generator:.0f} req/s" if bare.cores.generator else "-",
        ),
        (
            "generator share of the load's CPU at saturation",
            f"{top.cores.generator / (top.cores.generator + top.cores.server):.0%}"
            if top.cores.generator + top.cores.server
            else "-",
        ),
    ]


def table(rows: list[tuple[str, str]]) -> str:
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def _bottleneck(step: Step) -> str:
    c, cpus = step.cores, os.cpu_count() or 1
    if c.machine >= 0.9 * cpus:
        other = max(0.0, c.machine - c.generator - c.server)
        return f"the machine: {c.machine:.2f} of {cpus} cores busy ({other:.2f} other work)"
    side = "the generator" if c.generator > c.server else "the system under test"
    return f"{side} (more CPU: {max(c.generator, c.server):.2f} cores)"


def _per_request(step: Step) -> str:
    if not step.rps:
        return "-"
    return f"{step.cores.generator / step.rps * 1e6:.0f} µs"


def _first_broken(done: list[Step]) -> str:
    broken = [s for s in done if not s.held]
    if not broken:
        return "none (raise --steps to find it)"
    return f"{broken[0].users} shoppers, {broken[0].rps:.1f} req/s: {broken[0].broken}"


def _saga(step: Step) -> str:
    p50, p99 = step.saga("50%"), step.saga("99%")
    if p50 is None or p99 is None:
        return f"{step.users} shoppers: no saga measured"
    return f"{step.users} shoppers: p50 {p50:.0f} ms, p99 {p99:.0f} ms (worst outcome)"


if __name__ == "__main__":
    sys.exit(main())
