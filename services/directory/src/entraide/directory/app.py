"""Directory's wiring: settings, store, outbox relay, API and pages."""

import asyncio
import logging
from functools import partial
from typing import Any

from fastapi import FastAPI

from entraide.contracts.vocab import SubjectKind
from entraide.directory import (
    api,
    outbox,
    pages,
    places,
    staff_pages,
    volunteer_pages,
    volunteer_service,
    volunteers_api,
)
from entraide.directory.card_cache import CardCache
from entraide.directory.local_keys import VolunteerKeys
from entraide.directory.repositories import MongoUnitOfWork
from entraide.directory.rights import DirectoryRights
from entraide.directory.sealing import VolunteerKeyStore
from entraide.directory.settings import DirectorySettings
from entraide.directory.store import OfferStore
from entraide.directory.volunteer_store import VolunteerStore
from entraide.kit.auth import install_auth
from entraide.kit.keyvault_client import SubjectKeys, vault_client
from entraide.kit.rights import register_rights
from entraide.kit.service import runtime, service_app
from entraide.kit.web import templates_for

SERVICE = "directory"
log = logging.getLogger(__name__)


def create_app(
    settings: DirectorySettings | None = None, *, keys: VolunteerKeyStore | None = None
) -> FastAPI:
    settings = settings or DirectorySettings()
    rt = runtime(SERVICE, settings)
    offers = OfferStore(rt.db, settings.offers_topic)
    volunteers = VolunteerStore(rt.db, settings.volunteers_topic)
    relay = outbox.Relays(
        {"offers": offers.collection, "volunteers": volunteers.collection},
        rt.broker,
        registry=rt.registry,
        idle_poll_seconds=settings.outbox_idle_poll_seconds,
    )
    uow = MongoUnitOfWork(offers, volunteers, relay.wake)

    async def announce_validity() -> None:
        """Volunteers approved before their check's validity travelled: announced again."""
        ids = await volunteers.without_validity()
        if ids:
            count = await volunteer_service.announce_validity(uow, ids)
            log.info("volunteers announced again with their check's validity: %d", count)

    async def index_places() -> None:
        """The communes' indexes (37,000 names), built before the first search, not in it."""
        await asyncio.to_thread(places.find, "Nantes")

    lifespans = [
        partial(outbox.running, relay),
        partial(outbox.sweeping, offers.sweep, settings.sweep_every_seconds),
    ]
    app = service_app(
        rt,
        routers=[
            api.public,
            api.staff,
            volunteers_api.public,
            volunteers_api.staff,
            pages.router,
            volunteer_pages.router,
            staff_pages.router,
        ],
        startup=[offers.ensure_indexes, volunteers.ensure_indexes, announce_validity, index_places],
        lifespans=lifespans if settings.outbox_relay else [],
    )
    app.state.templates = templates_for(
        "entraide.directory",
        nav=[
            ("/recherche", "Trouver une action"),
            ("/devenir-benevole", "Devenir bénévole"),
            ("/association", "Espace association"),
        ],
    )
    install_auth(app, settings, app.state.templates)
    app.state.offers = offers
    app.state.cards = CardCache(
        offers,
        cells=settings.search_cache_cells,
        max_age_seconds=settings.search_cache_max_age_seconds,
        registry=rt.registry,
    )
    app.state.relay = relay
    app.state.uow = uow
    app.state.volunteers = volunteers
    app.state.field_messages = volunteer_pages.api_message  # 422s in the form's words
    app.state.volunteer_keys = keys or volunteer_keys(settings, rt.db)
    rights = DirectoryRights(rt.db, app.state.volunteer_keys)  # privacy's commands (issue 6)
    register_rights(rt.broker, rights, settings=settings, service=SERVICE)
    return app


def volunteer_keys(settings: DirectorySettings, db: Any) -> VolunteerKeyStore:
    """Privacy's key vault, or (ENTRAIDE_KEYS=local, directory alone) keys in its database."""
    if settings.keys == "local":
        return VolunteerKeys(db, settings.master_key_bytes())
    return SubjectKeys(vault_client(settings, SERVICE), SubjectKind.VOLUNTEER.value)
