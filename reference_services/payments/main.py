"""Composition root of the payments service."""

from __future__ import annotations

from fastapi import FastAPI

from reference_services.kit.app import create_app as create_service_app
from reference_services.kit.migrations import migrations_dir
from reference_services.kit.provider_states import provider_state_routers
from reference_services.kit.runtime import ServiceDefinition
from reference_services.payments.api import router
from reference_services.payments.config import PaymentsSettings
from reference_services.payments.consumer import HANDLERS
from reference_services.payments.states import STATES
from reference_services.payments.tables import metadata

PUBLISHES = ("payment.processed", "payment.failed", "payment.refunded")


def load_settings() -> PaymentsSettings:
    return PaymentsSettings()


def create_app(settings: PaymentsSettings | None = None) -> FastAPI:
    settings = settings or load_settings()
    definition = ServiceDefinition(
        settings=settings,
        metadata=metadata,
        migrations=migrations_dir("payments"),
        produces=PUBLISHES,
        consumes=HANDLERS,
    )
    return create_service_app(
        definition,
        title="payments",
        routers=[router, *provider_state_routers(settings, STATES)],
        description="Payments: charges each order by deterministic decline rules, refunds "
        "it when stock is rejected; customers read their own payments.",
    )
