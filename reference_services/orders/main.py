"""Composition root of the orders service."""

from __future__ import annotations

from fastapi import FastAPI

from reference_services.kit.app import create_app as create_service_app
from reference_services.kit.migrations import migrations_dir
from reference_services.kit.provider_states import provider_state_routers
from reference_services.kit.runtime import ServiceDefinition
from reference_services.orders.api import router
from reference_services.orders.config import OrdersSettings
from reference_services.orders.consumer import HANDLERS
from reference_services.orders.states import STATES
from reference_services.orders.tables import metadata

PUBLISHES = ("order.created", "order.completed", "order.cancelled")


def load_settings() -> OrdersSettings:
    return OrdersSettings()


def create_app(settings: OrdersSettings | None = None) -> FastAPI:
    settings = settings or load_settings()
    policy = settings.client_policy()
    definition = ServiceDefinition(
        settings=settings,
        metadata=metadata,
        migrations=migrations_dir("orders"),
        produces=PUBLISHES,
        consumes=HANDLERS,
        dependencies={
            "users": (settings.users_url, policy),
            "products": (settings.products_url, policy),
        },
    )
    return create_service_app(
        definition,
        title="orders",
        routers=[router, *provider_state_routers(settings, STATES)],
        description="Orders: place (idempotent), read your own; the saga settles them.",
    )
