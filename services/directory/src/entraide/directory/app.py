"""Directory's wiring: settings → stores, keys and outbox relays → use cases' ports →
routers (what they use is provided by type: `entrypoints.http.deps`)."""

import asyncio
import logging
from datetime import UTC, datetime
from functools import partial
from typing import Any

from fastapi import FastAPI

from entraide.contracts.vocab import SubjectKind
from entraide.directory.adapters import outbox
from entraide.directory.adapters.offers.card_cache import CardCache
from entraide.directory.adapters.offers.listing import MongoOfferListing
from entraide.directory.adapters.offers.store import OfferStore
from entraide.directory.adapters.rights import DirectoryRights
from entraide.directory.adapters.unit_of_work import MongoUnitOfWork
from entraide.directory.adapters.volunteers.links import MongoEmailIndex, MongoSignInLinks
from entraide.directory.adapters.volunteers.local_keys import VolunteerKeys
from entraide.directory.adapters.volunteers.privacy_erasure import PrivacyErasure
from entraide.directory.adapters.volunteers.roster import VolunteerRoster
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.adapters.volunteers.supports import VolunteerSupports
from entraide.directory.adapters.volunteers.tombstones import VolunteerTombstones
from entraide.directory.domain import places
from entraide.directory.entrypoints import scheduled
from entraide.directory.entrypoints.consumers import matches as match_consumer
from entraide.directory.entrypoints.http import association, contact_lookup
from entraide.directory.entrypoints.http.offers import api as offers_api
from entraide.directory.entrypoints.http.offers import edit as offers_edit
from entraide.directory.entrypoints.http.offers import pages as offers_pages
from entraide.directory.entrypoints.http.offers import space as offers_space
from entraide.directory.entrypoints.http.volunteers import api as volunteers_api
from entraide.directory.entrypoints.http.volunteers import correction as volunteer_correction
from entraide.directory.entrypoints.http.volunteers import form as volunteer_form
from entraide.directory.entrypoints.http.volunteers import pages as volunteers_pages
from entraide.directory.entrypoints.http.volunteers import space as volunteer_space
from entraide.directory.settings import DirectorySettings
from entraide.directory.usecases import application_retention, status_news, volunteers
from entraide.directory.usecases.access import SPACE_ROLES
from entraide.directory.usecases.ports import (
    Cards,
    OfferDocuments,
    OfferListing,
    Roster,
    UnitOfWork,
    VolunteerDocuments,
    VolunteerKeyStore,
)
from entraide.directory.usecases.volunteer_news import VolunteerNews
from entraide.directory.usecases.volunteer_rights import VolunteerRights
from entraide.directory.usecases.volunteer_space import VolunteerSpace
from entraide.kit.auth import install_auth
from entraide.kit.deps import provide, provide_as
from entraide.kit.i18n import translator_in
from entraide.kit.keyvault_client import SubjectKeys, dev_secret, vault_client
from entraide.kit.loops import Periodic, running
from entraide.kit.messages import FieldSentences
from entraide.kit.notifications.wiring import notifier_from
from entraide.kit.pages import Pages
from entraide.kit.rectification_statements import PrivacyStatements
from entraide.kit.rights import register_notices, register_rights
from entraide.kit.service import Lifespan, runtime, service_app
from entraide.kit.web import templates_for

SERVICE = "directory"
RETENTION_EVERY_SECONDS = 3600.0  # at start, then hourly: restarts never skip it
NEWS_EVERY_SECONDS = 300.0  # the status news still owed: at start, then every 5 minutes
log = logging.getLogger(__name__)
# the public pages' menu (search, offers, volunteers)
PUBLIC_NAV = [
    ("/recherche", "Trouver une action"),
    ("/devenir-benevole", "Devenir bénévole"),
    ("/espace-benevole", "Mon espace bénévole"),
]
# the staff pages': the association's space, and the search staff orient families with
# (a volunteer's application and space are no business of an association's staff)
NAV = [("/association", "Espace association"), ("/recherche", "Trouver une action")]


def create_app(
    settings: DirectorySettings | None = None, *, keys: VolunteerKeyStore | None = None
) -> FastAPI:
    settings = settings or DirectorySettings()
    rt = runtime(SERVICE, settings)
    offers = OfferStore(rt.db, settings.offers_topic)
    volunteer_store = VolunteerStore(
        rt.db, settings.volunteers_topic, settings.volunteer_applications_topic
    )
    # an erased volunteer's tombstone waits in an outbox of its own (`adapters.rights`)
    tombstones = VolunteerTombstones(rt.db, settings.volunteers_topic)
    supports = VolunteerSupports(rt.db)  # their matches, for their space
    roster = VolunteerRoster(rt.db)  # the association's space, a page at a time
    listing = MongoOfferListing(rt.db)  # and its actions
    relay = outbox.Relays(
        {
            "offers": offers.collection,
            "volunteers": volunteer_store.collection,
            "volunteer_tombstones": tombstones.collection,
        },
        rt.broker,
        registry=rt.registry,
        idle_poll_seconds=settings.outbox_idle_poll_seconds,
    )
    uow = MongoUnitOfWork(offers, volunteer_store, relay.wake)
    keys = keys or volunteer_keys(settings, rt.db)
    cards = CardCache(
        offers,
        cells=settings.search_cache_cells,
        max_age_seconds=settings.search_cache_max_age_seconds,
        registry=rt.registry,
    )

    async def announce_validity() -> None:
        """Volunteers approved before their check's validity travelled: announced again."""
        await volunteers.announce_missing_validity(uow, volunteer_store)

    async def remember_addresses() -> None:
        """Volunteers who applied before their address was kept can sign in too."""
        await space.remember_missing(volunteer_store, keys)

    async def rekey_offers() -> None:
        """Offers stored before their sort key, or with another's, get theirs (idempotent)."""
        await listing.rekey()

    async def index_places() -> None:
        """The communes' indexes (37,000 names), built before the first search, not in it."""
        await asyncio.to_thread(places.find, "Nantes")

    # the volunteers' sign-in links go by e-mail through the kit's notifier (SMTP)
    notifier = notifier_from(rt.db, settings, registry=rt.registry)
    links = MongoSignInLinks(rt.db)
    # a volunteer who leaves: privacy opens the erasure case (internal API, service token)
    secret = settings.keyvault_secret
    erasure = PrivacyErasure(
        rt.db, settings.keyvault_url, secret.get_secret_value() if secret else dev_secret(SERVICE)
    )
    templates = templates_for("entraide.directory", nav=NAV, public_nav=PUBLIC_NAV)
    # a volunteer is told of their application's status and of each proposal (issue 17), a
    # need's name in their language from the pages' catalogs
    news = VolunteerNews(
        keys, notifier, space_url=settings.directory_url, translate=translator_in(templates)
    )
    space = VolunteerSpace(
        uow,
        MongoEmailIndex(rt.db),
        links,
        notifier,
        erasure,
        lookup_secret=settings.master_key_bytes(),
        news=news,
        supports=supports,
    )
    # privacy's commands (issue 6); a volunteer's objection and rectification are routed here
    requests = VolunteerRights(uow, volunteer_store)
    rights = DirectoryRights(rt.db, keys, requests, volunteer_store, tombstones, relay.wake)

    async def purge_applications() -> None:
        """Applications never approved past their retention, erased as privacy's erasure."""
        now, years = datetime.now(UTC), settings.application_retention_years
        gone = await application_retention.purge_expired(
            volunteer_store, rights, now=now, years=years
        )
        if gone:
            log.info("expired applications erased", extra={"erased": gone})

    retention = Periodic(purge_applications, RETENTION_EVERY_SECONDS, name="application-retention")

    async def tell_owed_news() -> int:
        """The status news a crash or the notifier's failure left owed (`status_news`)."""
        settled = await status_news.settle_owed(uow.volunteers, news, datetime.now(UTC))
        if settled:
            log.info("volunteers' status news settled", extra={"settled": settled})
        return settled

    owed_news = Periodic(tell_owed_news, NEWS_EVERY_SECONDS, name="status-news", busy_again=True)
    lifespans: list[Lifespan] = [
        partial(outbox.running, relay),
        partial(outbox.sweeping, offers.sweep, settings.sweep_every_seconds),
        partial(outbox.sweeping, tombstones.sweep, settings.sweep_every_seconds),
        lambda _app: notifier.running(),  # retries and what quiet hours held
        scheduled.reminders(offers, notifier, space_url=settings.directory_url),  # daily
        partial(outbox.sweeping, erasure.resend, 60.0),  # erasures privacy did not answer
    ]
    app = service_app(
        rt,
        routers=[
            offers_api.public,
            offers_api.staff,
            volunteers_api.public,
            volunteers_api.staff,
            offers_pages.router,
            volunteers_pages.public,
            volunteer_space.router,
            association.router,
            offers_space.router,
            offers_edit.router,
            volunteers_pages.staff,
            volunteer_correction.router,
            contact_lookup.router,
        ],
        startup=[
            offers.ensure_indexes,
            volunteer_store.ensure_indexes,
            roster.ensure_indexes,
            listing.ensure_indexes,
            rekey_offers,
            tombstones.ensure_indexes,
            supports.ensure_indexes,
            links.ensure_indexes,
            notifier.ensure_indexes,
            announce_validity,
            remember_addresses,
            index_places,
            rights.ensure_indexes,  # last: the adapters' own indexes come first
        ],
        # the retention pass on every replica (each erasure is claimed first), and the
        # status news' (the notifier's key: told once however many ask)
        lifespans=(lifespans if settings.outbox_relay else [])
        + [lambda _: running(retention), lambda _: running(owed_news)],
    )
    install_auth(app, settings, templates, home_admits=SPACE_ROLES)
    ask_for_help = {"intake_url": settings.intake_url.rstrip("/")}  # offers link to it
    pages = Pages(templates, lambda _: ask_for_help)
    provide(app, offers, volunteer_store, cards, relay, uow, pages)
    session = settings.session_secret.get_secret_value().encode()
    secure = settings.session_cookie_secure
    provide(app, space, notifier, news, volunteer_space.SpaceSession(session, secure))
    # privacy's rights channel asks which volunteer a proved e-mail names (its vault's secret)
    privacy_secret = secret.get_secret_value() if secret else dev_secret(SERVICE)
    provide(app, contact_lookup.ContactLookup(space, privacy_secret))
    # a rectification's words, read from privacy as staff open the correction form
    provide(app, PrivacyStatements(SERVICE, settings.keyvault_url, privacy_secret))
    provide_ports(app, uow, cards, offers, volunteer_store, keys, roster, listing)
    provide(app, FieldSentences(volunteer_form.api_message))  # the 422s in the form's words
    register_rights(rt.broker, rights, settings=settings, service=SERVICE)
    provide(app, rights)  # the tests reach it (no route reads it)
    match_consumer.register(
        rt.broker, news, volunteer_store, supports, settings=settings, service_name=SERVICE
    )
    warn = partial(news.retention_warning, volunteer_store)  # privacy's retention notices
    register_notices(rt.broker, warn, settings=settings, service=SERVICE)
    return app


def provide_ports(
    app: FastAPI,
    uow: UnitOfWork,
    cards: Cards,
    offers: OfferDocuments,
    volunteers: VolunteerDocuments,
    keys: VolunteerKeyStore,
    roster: Roster,
    listing: OfferListing,
) -> None:
    """Each adapter under the port routes ask for. The parameters check that each
    implements its port; the loop's `Any` because mypy refuses a Protocol where the kit
    takes `type[T]` (type-abstract)."""
    ports: list[tuple[Any, object]] = [
        (UnitOfWork, uow),
        (Cards, cards),
        (OfferDocuments, offers),
        (VolunteerDocuments, volunteers),
        (VolunteerKeyStore, keys),
        (Roster, roster),
        (OfferListing, listing),
    ]
    for port, adapter in ports:
        provide_as(app, port, adapter)


def volunteer_keys(settings: DirectorySettings, db: Any) -> VolunteerKeyStore:
    """Privacy's key vault, or (ENTRAIDE_KEYS=local, directory alone) keys in its database."""
    if settings.keys == "local":
        return VolunteerKeys(db, settings.master_key_bytes())
    return SubjectKeys(vault_client(settings, SERVICE), SubjectKind.VOLUNTEER.value)
