"""Probes of the steady-state hypothesis, each answering held or deviated with a reason.

``window`` is the fault window (seconds since the experiment began): probes about the
traffic look at the samples inside it ("during") or after it ("after").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from harness.chaos.world import STOCK, Sample, World

TERMINAL = ("COMPLETED", "CANCELLED")
PRICE_CENTS = 700
POLL_S = 0.25


@dataclass(frozen=True)
class ProbeResult:
    probe: str
    held: bool
    detail: str

    def line(self) -> str:
        return f"{'held' if self.held else 'DEVIATED':<9}{self.probe}: {self.detail}"


def evaluate(world: World, probe: dict[str, Any], window: tuple[float, float]) -> ProbeResult:
    [(kind, args)] = probe.items()
    return PROBES[kind](world, args or {}, window)


def _poll(within: float, check: Callable[[], tuple[bool, str]]) -> tuple[bool, str, float]:
    began = time.monotonic()
    while True:
        held, detail = check()
        waited = time.monotonic() - began
        if held or waited >= within:
            return held, detail, waited
        time.sleep(POLL_S)


def ready(world: World, args: dict[str, Any], window: tuple[float, float]) -> ProbeResult:
    service, want = args["service"], args.get("status", 200)

    def check() -> tuple[bool, str]:
        response = world.readiness(service)
        body = response.json()
        degraded = args.get("degraded")
        dependency = body.get("dependencies", {}).get(degraded) if degraded else None
        ok = response.status_code == want and (degraded is None or dependency != "closed")
        return ok, f"{service} /health/ready {response.status_code} {body.get('status')}" + (
            f", {degraded} {dependency}" if degraded else ""
        )

    held, detail, _ = _poll(args.get("within", 0), check)
    return ProbeResult("ready", held, detail)


def breaker(world: World, args: dict[str, Any], window: tuple[float, float]) -> ProbeResult:
    service, dependency, want = args["service"], args["dependency"], args["state"]

    def check() -> tuple[bool, str]:
        state = world.breaker(service, dependency)
        return state == want, f"{service} -> {dependency} breaker {state}"

    held, detail, waited = _poll(args.get("within", 0), check)
    return ProbeResult("breaker", held, f"{detail} after {waited:.1f} s (wanted {want})")


def fail_fast(world: World, args: dict[str, Any], window: tuple[float, float]) -> ProbeResult:
    start, end = window
    last = args.get("last", (end - start) / 2)
    samples = world.window(end - last, end)
    if not samples:
        return ProbeResult("fail_fast", False, f"no requests in the last {last:.0f} s of the fault")
    slow = percentile([s.ms for s in samples], 95)
    wrong = [
        s
        for s in samples
        if not (s.status == 503 and "problem+json" in s.content_type and s.retry_after)
    ]
    held = slow <= args.get("max_ms", 500) and not wrong
    return ProbeResult(
        "fail_fast",
        held,
        f"{len(samples)} orders in the last {last:.0f} s: p95 {slow:.0f} ms "
        f"(max {args.get('max_ms', 500)}), {len(wrong)} not 503 problem+json with Retry-After",
    )


def _phase_samples(world: World, window: tuple[float, float], phase: str) -> list[Sample]:
    start, end = window
    return world.window(start, end) if phase == "during" else world.window(end)


def error_rate(world: World, args: dict[str, Any], window: tuple[float, float]) -> ProbeResult:
    samples = _phase_samples(world, window, args.get("phase", "during"))
    failed = [s for s in samples if not 200 <= s.status < 300]
    rate = len(failed) / len(samples) if samples else 0.0
    return ProbeResult(
        "error_rate",
        rate <= args["max"],
        f"{len(failed)}/{len(samples)} failed ({rate:.1%}, max {args['max']:.1%})",
    )


def latency(world: World, args: dict[str, Any], window: tuple[float, float]) -> ProbeResult:
    samples = _phase_samples(world, window, "during")
    p95 = percentile([s.ms for s in samples], 95) if samples else 0.0
    return ProbeResult(
        "latency",
        p95 <= args["p95_ms"],
        f"p95 {p95:.0f} ms over {len(samples)} orders (max {args['p95_ms']})",
    )


@cache
def _documented(contract: Path) -> frozenset[int]:
    document = yaml.safe_load(contract.read_text())
    responses = document["paths"]["/api/orders"]["post"]["responses"]
    return frozenset(int(code) for code in responses)


def documented(world: World, args: dict[str, Any], window: tuple[float, float]) -> ProbeResult:
    statuses = _documented(world.target.contracts.openapi_file("gateway"))
    samples = world.window(0)
    wrong = [
        s
        for s in samples
        if s.status not in statuses or (s.status >= 400 and "problem+json" not in s.content_type)
    ]
    seen = sorted({s.status for s in samples})
    return ProbeResult(
        "documented",
        not wrong,
        f"statuses seen {seen}; {len(wrong)} undocumented or without problem+json",
    )


def _accepted(world: World) -> list[str]:
    return [s.order_id for s in world.window(0) if s.order_id]


def converge(world: World, args: dict[str, Any], window: tuple[float, float]) -> ProbeResult:
    accepted = _accepted(world)

    def check() -> tuple[bool, str]:
        pending = [o for o in accepted if world.order(o)["status"] not in TERMINAL]
        return not pending, f"{len(accepted) - len(pending)}/{len(accepted)} accepted orders ended"

    held, detail, waited = _poll(args.get("within", 30), check)
    return ProbeResult("converge", held, f"{detail} ({waited:.1f} s)")


def stalled(world: World, args: dict[str, Any], window: tuple[float, float]) -> ProbeResult:
    """While the fault lasts, the orders accepted in it wait: none has reached an end.

    Orders accepted in the first ``grace`` seconds may have slipped through before the
    fault took hold, so they are left out.
    """
    start, end = window
    waiting = [s.order_id for s in world.window(start + args.get("grace", 2), end) if s.order_id]
    ended = [o for o in waiting if world.order(o)["status"] in TERMINAL]
    enough = len(waiting) >= args.get("min_orders", 1)
    return ProbeResult(
        "stalled",
        enough and not ended,
        f"{len(waiting)} orders accepted during the fault, {len(ended)} already ended "
        f"(wanted at least {args.get('min_orders', 1)}, none ended)",
    )


def outbox(world: World, args: dict[str, Any], window: tuple[float, float]) -> ProbeResult:
    service = args["service"]
    low, high = args.get("min_backlog", 0), args.get("max_backlog", float("inf"))

    def check() -> tuple[bool, str]:
        backlog = world.metric(service, "outbox_backlog") or 0.0
        return low <= backlog <= high, f"{service} outbox backlog {backlog:.0f}"

    held, detail, waited = _poll(args.get("within", 0), check)
    return ProbeResult("outbox", held, f"{detail} after {waited:.1f} s (wanted {low}..{high})")


def balance(world: World, args: dict[str, Any], window: tuple[float, float]) -> ProbeResult:
    accepted = _accepted(world)

    def check() -> tuple[bool, str]:
        orders = [world.order(o) for o in accepted]
        completed = sum(o["status"] == "COMPLETED" for o in orders)
        captured = sum(
            p["amount_cents"]
            for o in accepted
            for p in world.payments(o)
            if p["status"] == "CAPTURED"
        )
        stock = world.stock()
        money_ok = captured == completed * PRICE_CENTS
        stock_ok = (
            stock["available"] + stock["reserved"] == STOCK and stock["reserved"] == completed
        )
        return money_ok and stock_ok, (
            f"captured {captured} for {completed} completed orders (expected "
            f"{completed * PRICE_CENTS}); stock available {stock['available']} + reserved "
            f"{stock['reserved']} of {STOCK}"
        )

    held, detail, _ = _poll(args.get("within", 10), check)
    return ProbeResult("balance", held, detail)


def no_duplicates(world: World, args: dict[str, Any], window: tuple[float, float]) -> ProbeResult:
    accepted = _accepted(world)
    doubled = [o for o in accepted if len(world.payments(o)) > 1]
    repeated = len(accepted) - len(set(accepted))
    return ProbeResult(
        "no_duplicates",
        not doubled and not repeated,
        f"{len(doubled)} orders charged twice, {repeated} order ids repeated",
    )


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


PROBES: dict[str, Callable[[World, dict[str, Any], tuple[float, float]], ProbeResult]] = {
    "ready": ready,
    "breaker": breaker,
    "fail_fast": fail_fast,
    "error_rate": error_rate,
    "latency": latency,
    "documented": documented,
    "converge": converge,
    "stalled": stalled,
    "outbox": outbox,
    "balance": balance,
    "no_duplicates": no_duplicates,
}
