"""Named load shapes, chosen with ``HARNESS_LOAD_SHAPE`` (``harness load --shape NAME``).

Pure (no Locust import), so tests and the harness can use them.

Each is sized by ``HARNESS_LOAD_USERS``, ``HARNESS_LOAD_SPAWN_RATE`` and
``HARNESS_LOAD_DURATION`` (seconds), so one profile scales from a laptop to a cluster:

- ramp:  0 -> users linearly over the first half, hold for the rest.
- step:  users in 4 equal steps, each held a quarter of the run.
- spike: a quarter of the users, then all of them for the middle fifth, then a quarter.
- soak:  all users for the whole run (reach them at the spawn rate).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    users: int
    spawn_rate: float
    duration: float

    @classmethod
    def from_env(cls) -> Size:
        return cls(
            users=int(os.environ.get("HARNESS_LOAD_USERS", "10")),
            spawn_rate=float(os.environ.get("HARNESS_LOAD_SPAWN_RATE", "5")),
            duration=float(os.environ.get("HARNESS_LOAD_DURATION", "60")),
        )


def ramp(size: Size, t: float) -> int:
    half = size.duration / 2
    return max(1, round(size.users * min(1.0, t / half))) if half else size.users


def step(size: Size, t: float) -> int:
    quarter = size.duration / 4
    level = min(4, int(t // quarter) + 1) if quarter else 4
    return max(1, round(size.users * level / 4))


def spike(size: Size, t: float) -> int:
    middle = 0.4 * size.duration <= t < 0.6 * size.duration
    return size.users if middle else max(1, round(size.users / 4))


def soak(size: Size, t: float) -> int:
    return size.users


SHAPES: dict[str, Callable[[Size, float], int]] = {
    "ramp": ramp,
    "step": step,
    "spike": spike,
    "soak": soak,
}


def users_at(name: str, size: Size, t: float) -> int | None:
    """Users wanted ``t`` seconds into the run; None once the run is over."""
    if t >= size.duration:
        return None
    return SHAPES[name](size, t)
