"""Composition root of the inventory service."""

from __future__ import annotations

from fastapi import FastAPI

from reference_services.inventory.api import router
from reference_services.inventory.config import InventorySettings
from reference_services.inventory.consumer import HANDLERS
from reference_services.inventory.states import STATES
from reference_services.inventory.tables import metadata
from reference_services.kit.app import create_app as create_service_app
from reference_services.kit.migrations import migrations_dir
from reference_services.kit.provider_states import provider_state_routers
from reference_services.kit.runtime import ServiceDefinition

PUBLISHES = ("inventory.reserved", "inventory.rejected")


def load_settings() -> InventorySettings:
    return InventorySettings()


def create_app(settings: InventorySettings | None = None) -> FastAPI:
    settings = settings or load_settings()
    definition = ServiceDefinition(
        settings=settings,
        metadata=metadata,
        migrations=migrations_dir("inventory"),
        produces=PUBLISHES,
        consumes=HANDLERS,
    )
    return create_service_app(
        definition,
        title="inventory",
        routers=[router, *provider_state_routers(settings, STATES)],
        description="Inventory: reserves stock for paid orders, all lines or none; admins restock.",
    )
