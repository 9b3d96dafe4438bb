"""Orders carried all the way through the saga: accepted orders per second of wall time
from the first request until the last of them reached COMPLETED or CANCELLED.

The HTTP comparison (``bench/http_targets.py``) counts ``POST /api/orders`` answers
during a short round, while most of each order's work (payments, inventory, the order's
outcome, notifications) is still queued on Kafka. This run gives the figure that does not
flatter a saga that falls behind: load for ``seconds``, then poll the orders service's
own database (read-only) until no order of the run is PENDING.

With ``paused`` pids (the saga's consumers, stopped with SIGSTOP for the load and
resumed after it) the same run tells what the request path alone can accept: a
diagnosis of where an order's CPU goes, not a way to run the system.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bench.loadgen import run_subprocess
from bench.loadstats import LoadConfig

DRAIN_TIMEOUT_S = 180.0
POLL_S = 0.1


@dataclass(frozen=True)
class SagaRun:
    """``accepted``: orders the run created (counted in the database: a request still in
    flight when the generator stopped counts too); ``answered``: 2xx the generator saw."""

    accepted: int
    answered: int
    load_s: float
    drain_s: float
    outcomes: dict[str, int]

    @property
    def orders_per_s(self) -> float:
        return self.accepted / (self.load_s + self.drain_s)

    @property
    def accepted_per_s(self) -> float:
        """Orders accepted per second of load, whether or not the saga kept up."""
        return self.accepted / self.load_s


class SagaStuck(RuntimeError):
    """Orders of the run were still PENDING when the drain deadline passed."""


def saga_run(config: LoadConfig, orders_db: Path, *, paused: Sequence[int] = ()) -> SagaRun:
    """Run ``config`` (POST /api/orders) and wait until its orders have all settled;
    the ``paused`` processes are stopped during the load and resumed whatever happens."""
    before = _outcomes(orders_db)
    began = time.perf_counter()
    try:
        _signal(paused, signal.SIGSTOP)
        result = run_subprocess(config)
    finally:
        _signal(paused, signal.SIGCONT)
    loaded = time.perf_counter()
    deadline = loaded + DRAIN_TIMEOUT_S
    while (pending := _outcomes(orders_db).get("PENDING", 0)) > before.get("PENDING", 0):
        if time.perf_counter() > deadline:
            raise SagaStuck(f"{pending} orders still PENDING {DRAIN_TIMEOUT_S:.0f}s after the load")
        time.sleep(POLL_S)
    drained = time.perf_counter()
    after = _outcomes(orders_db)
    outcomes = {k: after.get(k, 0) - before.get(k, 0) for k in after if k != "PENDING"}
    accepted = sum(outcomes.values())
    return SagaRun(accepted, result.requests, loaded - began, drained - loaded, outcomes)


def _signal(pids: Sequence[int], signum: signal.Signals) -> None:
    for pid in pids:
        os.kill(pid, signum)


def _outcomes(orders_db: Path) -> dict[str, int]:
    """Orders per status, read from the service's SQLite file without writing to it."""
    with closing(sqlite3.connect(f"file:{orders_db}?mode=ro", uri=True, timeout=5)) as conn:
        rows = conn.execute("SELECT status, count(*) FROM orders GROUP BY status").fetchall()
    return {status: int(count) for status, count in rows}
