"""Intake's wiring: settings, store, broker, outbox relay and HTTP routes."""

from functools import partial

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from entraide.contracts.kit.broker import make_broker
from entraide.contracts.kit.service import mongo_client, service_app
from entraide.intake import api, outbox
from entraide.intake.settings import IntakeSettings
from entraide.intake.store import FamilyStore

SERVICE = "intake"


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    registry = CollectorRegistry()
    broker = make_broker(settings, service=SERVICE, registry=registry)
    db = mongo_client(settings)[settings.database]
    families = FamilyStore(db)
    relay = outbox.OutboxRelay(
        families.families,
        broker,
        registry=registry,
        lease_seconds=settings.outbox_lease_seconds,
        idle_poll_seconds=settings.outbox_idle_poll_seconds,
    )
    app = service_app(
        service=SERVICE,
        settings=settings,
        broker=broker,
        db=db,
        registry=registry,
        routers=[api.router],
        startup=[families.ensure_indexes],
        lifespans=[partial(outbox.running, relay)],
    )
    app.state.families = families
    app.state.relay = relay
    return app
