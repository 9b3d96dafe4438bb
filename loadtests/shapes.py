"""The Locust side of the named load shapes in loadtests/profiles.py, and the clock of
the headless fault schedule (``HARNESS_LOAD_FAULTS``, see loadtests/chaos.py)."""

from __future__ import annotations

import os

from locust import LoadTestShape

from loadtests.chaos import Scheduler
from loadtests.profiles import Size, users_at


class NamedShape(LoadTestShape):
    """The shape named by HARNESS_LOAD_SHAPE; spikes spawn at once, others at the rate.
    Each tick also switches the scheduled faults whose window starts or ends."""

    def __init__(self) -> None:
        super().__init__()
        self.name = os.environ["HARNESS_LOAD_SHAPE"]
        self.size = Size.from_env()
        self.faults = Scheduler.from_env()

    def tick(self) -> tuple[int, float] | None:
        elapsed = self.get_run_time()
        users = users_at(self.name, self.size, elapsed)
        if users is None:
            return None
        self.faults.tick(elapsed)
        rate = float(users) if self.name == "spike" else self.size.spawn_rate
        return users, rate
