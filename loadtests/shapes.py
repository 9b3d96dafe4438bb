"""The Locust side of the named load shapes in loadtests/profiles.py."""

from __future__ import annotations

import os

from locust import LoadTestShape

from loadtests.profiles import Size, users_at


class NamedShape(LoadTestShape):
    """The shape named by HARNESS_LOAD_SHAPE; spikes spawn at once, others at the rate."""

    def __init__(self) -> None:
        super().__init__()
        self.name = os.environ["HARNESS_LOAD_SHAPE"]
        self.size = Size.from_env()

    def tick(self) -> tuple[int, float] | None:
        users = users_at(self.name, self.size, self.get_run_time())
        if users is None:
            return None
        rate = float(users) if self.name == "spike" else self.size.spawn_rate
        return users, rate
