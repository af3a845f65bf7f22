"""Directory's wiring: settings, store, outbox relay, API and pages."""

from functools import partial

from fastapi import FastAPI

from entraide.contracts.kit.auth import install_auth
from entraide.contracts.kit.service import runtime, service_app
from entraide.contracts.kit.web import templates_for
from entraide.directory import api, outbox, pages
from entraide.directory.settings import DirectorySettings
from entraide.directory.store import OfferStore

SERVICE = "directory"


def create_app(settings: DirectorySettings | None = None) -> FastAPI:
    settings = settings or DirectorySettings()
    rt = runtime(SERVICE, settings)
    offers = OfferStore(rt.db)
    relay = outbox.OutboxRelay(
        [offers],
        rt.broker,
        registry=rt.registry,
        idle_poll_seconds=settings.outbox_idle_poll_seconds,
    )
    app = service_app(
        rt,
        routers=[api.public, api.staff, pages.router],
        startup=[offers.ensure_indexes],
        lifespans=[partial(outbox.running, relay)] if settings.outbox_relay else [],
    )
    app.state.templates = templates_for("entraide.directory")
    install_auth(app, settings, app.state.templates)
    app.state.offers = offers
    app.state.relay = relay
    return app
