from __future__ import annotations

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from reference_services.kit.http_client import ClientPolicy
from reference_services.kit.settings import ServiceSettings

DEFAULT_CONTRACT = Path(__file__).resolve().parents[2] / "contracts" / "openapi" / "gateway.yaml"


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore", frozen=True)

    service_name: str = "gateway"
    port: int = 8000
    users_url: str = "http://127.0.0.1:8001"
    products_url: str = "http://127.0.0.1:8002"
    orders_url: str = "http://127.0.0.1:8003"
    payments_url: str = "http://127.0.0.1:8004"
    inventory_url: str = "http://127.0.0.1:8005"
    notifications_url: str = "http://127.0.0.1:8006"
    rate_limit_per_second: float = 200.0
    rate_limit_burst: int = 400
    breaker_threshold: int = 5
    breaker_recovery: float = 5.0
    contract_path: Path = DEFAULT_CONTRACT

    def upstreams(self) -> dict[str, str]:
        return {
            name: getattr(self, f"{name}_url")
            for name in ("users", "products", "orders", "payments", "inventory", "notifications")
        }

    def client_policy(self) -> ClientPolicy:
        return ClientPolicy(
            timeout=3.0,
            retries=1,
            failure_threshold=self.breaker_threshold,
            recovery_timeout=self.breaker_recovery,
        )
