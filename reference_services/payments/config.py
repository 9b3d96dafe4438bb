from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from reference_services.kit.settings import ServiceSettings


class PaymentsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENTS_", extra="ignore", frozen=True)

    service_name: str = "payments"
    port: int = 8004
