from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from reference_services.kit.http_client import ClientPolicy
from reference_services.kit.settings import ServiceSettings


class OrdersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ORDERS_", extra="ignore", frozen=True)

    service_name: str = "orders"
    port: int = 8003
    users_url: str = "http://127.0.0.1:8001"
    products_url: str = "http://127.0.0.1:8002"
    client_timeout: float = 1.0
    client_retries: int = 2
    breaker_threshold: int = 5
    breaker_recovery: float = 5.0

    def client_policy(self) -> ClientPolicy:
        return ClientPolicy(
            timeout=self.client_timeout,
            retries=self.client_retries,
            failure_threshold=self.breaker_threshold,
            recovery_timeout=self.breaker_recovery,
            breaker_enabled=not self.has_defect("no-breaker"),
        )
