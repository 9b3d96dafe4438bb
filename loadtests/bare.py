"""Locust against a bare endpoint as fast as it can (no think time): the load
generator's own ceiling, measured by bench/load_saturation.py against bench/bare_app.py."""

from __future__ import annotations

from locust import FastHttpUser, constant, task


class Hammer(FastHttpUser):
    wait_time = constant(0)

    @task
    def product(self) -> None:
        self.client.get("/products/p-1", name="/products/{id}")
