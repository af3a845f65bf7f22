"""Intake's wiring: settings, store, broker, outbox relay and HTTP routes."""

from functools import partial

from fastapi import FastAPI

from entraide.contracts.kit.service import runtime, service_app
from entraide.intake import api, handlers, outbox, partner_api
from entraide.intake.keys import WrappedKeys
from entraide.intake.settings import IntakeSettings
from entraide.intake.store import FamilyStore

SERVICE = "intake"


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    rt = runtime(SERVICE, settings)
    families = FamilyStore(rt.db)
    keys = WrappedKeys(rt.db, settings.master_key_bytes())
    relay = outbox.OutboxRelay(
        families.families,
        rt.broker,
        registry=rt.registry,
        lease_seconds=settings.outbox_lease_seconds,
        idle_poll_seconds=settings.outbox_idle_poll_seconds,
    )
    handlers.register(rt.broker, families, relay, keys, settings=settings, service_name=SERVICE)
    app = service_app(
        rt,
        routers=[api.router, partner_api.router],
        startup=[families.ensure_indexes],
        lifespans=[partial(outbox.running, relay)] if settings.outbox_relay else [],
    )
    app.state.families = families
    app.state.relay = relay
    app.state.keys = keys
    return app
