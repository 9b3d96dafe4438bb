"""What an experiment acts on and watches: the target's gateway, its services' metrics,
the Toxiproxy API, a customer and a product with known stock, and the traffic."""

from __future__ import annotations

import random
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from harness.chaos.marks import BREAKER_STATES, Mark, Reading, breaker_states, transitions
from harness.errors import ConfigError
from harness.target import Target

STOCK = 100_000
BREAKER_POLL_S = 0.5


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the experiment began
    ms: float
    status: int
    content_type: str
    retry_after: str | None
    order_id: str | None


class Toxiproxy:
    """The Toxiproxy HTTP API (chaos.proxy and the real server alike)."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=10, trust_env=False)

    def add_toxic(self, link: str, toxic: dict[str, Any]) -> str:
        body = {
            "type": toxic["type"],
            "stream": toxic.get("stream", "downstream"),
            "toxicity": toxic.get("toxicity", 1.0),
            "attributes": toxic.get("attributes", {}),
        }
        if "name" in toxic:
            body["name"] = toxic["name"]
        response = self.http.post(f"/proxies/{link}/toxics", json=body)
        response.raise_for_status()
        return str(response.json()["name"])

    def remove_toxic(self, link: str, name: str) -> None:
        response = self.http.delete(f"/proxies/{link}/toxics/{name}")
        if response.status_code not in (204, 404):
            response.raise_for_status()

    def set_enabled(self, link: str, enabled: bool) -> None:
        self.http.post(f"/proxies/{link}", json={"enabled": enabled}).raise_for_status()

    def names(self) -> list[str]:
        return list(self.http.get("/proxies").raise_for_status().json())

    def toxics(self) -> dict[str, list[str]]:
        proxies = self.http.get("/proxies").raise_for_status().json()
        return {name: [t["name"] for t in p["toxics"]] for name, p in proxies.items()}

    def disabled(self) -> list[str]:
        proxies = self.http.get("/proxies").raise_for_status().json()
        return [name for name, p in proxies.items() if not p["enabled"]]


@dataclass
class World:
    target: Target
    started: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    fault_windows: list[tuple[float, float]] = field(default_factory=list)
    breaker_readings: list[Reading] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.target.toxiproxy:
            raise ConfigError(
                "the target has no toxiproxy URL: start the stack routed (the default)"
            )
        self.proxy = Toxiproxy(self.target.toxiproxy)
        self.http = httpx.Client(base_url=self.target.gateway, timeout=15, trust_env=False)
        self.admin = self._login(self.target.auth.admin_email, self.target.auth.admin_password)
        self.customer = self._register()
        self.product = self._product()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._unwatch = threading.Event()
        self._watcher: threading.Thread | None = None

    def now(self) -> float:
        return time.monotonic() - self.started

    def _login(self, email: str, password: str) -> str:
        response = self.http.post(
            self.target.auth.login_path, json={"email": email, "password": password}
        )
        response.raise_for_status()
        return str(response.json()["access_token"])

    def _register(self) -> str:
        email, password = f"chaos-{secrets.token_hex(5)}@example.com", secrets.token_urlsafe(12)
        self.http.post(
            self.target.auth.register_path,
            json={"email": email, "password": password, "name": "Chaos Customer"},
        ).raise_for_status()
        return self._login(email, password)

    def _product(self) -> str:
        headers = {"authorization": f"Bearer {self.admin}"}
        body = {
            "sku": f"CHAOS-{secrets.token_hex(4).upper()}",
            "name": "Chaos item",
            "price_cents": 700,
        }
        product = self.http.post("/api/products", json=body, headers=headers)
        product.raise_for_status()
        product_id = str(product.json()["id"])
        self.http.post(
            f"/api/inventory/{product_id}/restock", json={"quantity": STOCK}, headers=headers
        ).raise_for_status()
        return product_id

    def auth(self, token: str) -> dict[str, str]:
        return {"authorization": f"Bearer {token}"}

    # Traffic.
    def start_traffic(self, rate: float, decline_share: float) -> None:
        self._thread = threading.Thread(
            target=self._traffic, args=(rate, decline_share), name="chaos-traffic", daemon=True
        )
        self._thread.start()

    def stop_traffic(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _traffic(self, rate: float, decline_share: float) -> None:
        client = httpx.Client(base_url=self.target.gateway, timeout=15, trust_env=False)
        interval = 1.0 / rate
        next_at = time.monotonic()
        while not self._stop.is_set():
            card = "tok_decline" if random.random() < decline_share else "tok_visa"
            self._place(client, card)
            next_at += interval
            self._stop.wait(max(0.0, next_at - time.monotonic()))
        client.close()

    def _place(self, client: httpx.Client, card: str) -> None:
        began = self.now()
        headers = {**self.auth(self.customer), "idempotency-key": secrets.token_hex(12)}
        body = {"items": [{"product_id": self.product, "quantity": 1}], "payment_token": card}
        try:
            response = client.post("/api/orders", json=body, headers=headers)
            status, kind = response.status_code, response.headers.get("content-type", "")
            retry_after = response.headers.get("retry-after")
            order_id = response.json().get("id") if status == 201 else None
        except httpx.HTTPError:
            status, kind, retry_after, order_id = 0, "", None, None
        sample = Sample(began, (self.now() - began) * 1000, status, kind, retry_after, order_id)
        with self._lock:
            self.samples.append(sample)

    def window(self, start: float, end: float | None = None) -> list[Sample]:
        with self._lock:
            return [s for s in self.samples if s.at >= start and (end is None or s.at <= end)]

    # Breakers, polled from every service's /metrics for the timeline's marks.
    @property
    def breaker_marks(self) -> list[Mark]:
        with self._lock:
            return transitions(list(self.breaker_readings))

    def watch_breakers(self) -> None:
        self._watcher = threading.Thread(target=self._watch, name="chaos-breakers", daemon=True)
        self._watcher.start()

    def stop_watching(self) -> None:
        self._unwatch.set()
        if self._watcher is not None:
            self._watcher.join(timeout=10)

    def _watch(self) -> None:
        urls = {"gateway": self.target.gateway, **self.target.services}
        with httpx.Client(timeout=2, trust_env=False) as client:
            while True:
                states: dict[str, str] = {}
                for service, url in urls.items():
                    try:
                        states |= breaker_states(service, client.get(f"{url}/metrics").text)
                    except httpx.HTTPError:
                        continue  # a service that does not answer keeps its last state
                with self._lock:
                    self.breaker_readings.append(Reading(self.now(), states))
                if self._unwatch.wait(BREAKER_POLL_S):
                    return

    # Observations.
    def metric(self, service: str, name: str, **labels: str) -> float | None:
        url = self.target.services[service]
        text = httpx.get(f"{url}/metrics", timeout=5, trust_env=False).text
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == name and all(
                    sample.labels.get(k) == v for k, v in labels.items()
                ):
                    return float(sample.value)
        return None

    def breaker(self, service: str, dependency: str) -> str:
        value = self.metric(service, "circuit_breaker_state", dependency=dependency)
        return BREAKER_STATES.get(value if value is not None else 0.0, "closed")

    def readiness(self, service: str) -> httpx.Response:
        return httpx.get(
            f"{self.target.services[service]}/health/ready", timeout=5, trust_env=False
        )

    def order(self, order_id: str) -> dict[str, Any]:
        response = self.http.get(f"/api/orders/{order_id}", headers=self.auth(self.customer))
        response.raise_for_status()
        return dict(response.json())

    def payments(self, order_id: str) -> list[dict[str, Any]]:
        response = self.http.get(
            "/api/payments", params={"order_id": order_id}, headers=self.auth(self.customer)
        )
        response.raise_for_status()
        return list(response.json())

    def stock(self) -> dict[str, Any]:
        response = self.http.get(f"/api/inventory/{self.product}", headers=self.auth(self.admin))
        response.raise_for_status()
        return dict(response.json())
