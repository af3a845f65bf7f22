"""Matching's wiring: settings → adapters (read models, the store of matches, follow-ups,
the outbox relays) → use cases (the engine, follow-ups, the queries) → routers, consumers
and the scheduler."""

from datetime import timedelta
from functools import partial

from fastapi import FastAPI

from entraide.kit import outbox
from entraide.kit.auth import install_auth
from entraide.kit.deps import provide
from entraide.kit.notifications.wiring import notifier_from
from entraide.kit.pages import Pages
from entraide.kit.rights import register_rights
from entraide.kit.service import runtime, service_app
from entraide.kit.web import templates_for
from entraide.matching.adapters.followups import FollowUpStore
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.offers import OfferViews
from entraide.matching.adapters.outbox import RelayOutbox
from entraide.matching.adapters.requests import RequestViews
from entraide.matching.adapters.rights import rights_handler
from entraide.matching.adapters.supports import ReadModelSupports
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.entrypoints import digest, scheduler
from entraide.matching.entrypoints.consumers import offers, requests, volunteers
from entraide.matching.entrypoints.http import api, followup_pages, pages
from entraide.matching.entrypoints.http.names import Names
from entraide.matching.settings import MatchingSettings
from entraide.matching.usecases.access import QUEUE_ROLES
from entraide.matching.usecases.engine import Engine
from entraide.matching.usecases.followups import FollowUps
from entraide.matching.usecases.listings import Listings
from entraide.matching.usecases.pool import SupportPool
from entraide.matching.usecases.waitlist import Waitlist

SERVICE = "matching"
NAV = [("/propositions", "Propositions"), ("/attente", "Liste d'attente"), ("/suivis", "Suivis")]


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    settings = settings or MatchingSettings()
    rt = runtime(SERVICE, settings)
    views = RequestViews(rt.db)
    store = MatchStore(rt.db)
    offer_views = OfferViews(rt.db)
    volunteer_views = VolunteerViews(rt.db)
    followup_store = FollowUpStore(rt.db)
    relay = outbox.OutboxRelay(
        store.matches,
        rt.broker,
        registry=rt.registry,
        idle_poll_seconds=settings.outbox_idle_poll_seconds,
    )
    # the waitlist announces its entries (`match.waitlisted`) through its own outbox (its
    # series labelled with its collection, beside the matches' relay)
    waitlist_relay = outbox.OutboxRelay(
        store.waitlist,
        rt.broker,
        registry=rt.registry,
        idle_poll_seconds=settings.outbox_idle_poll_seconds,
    )
    store.waited, store.announce = waitlist_relay.wake, settings.announce_waitlist

    pool = SupportPool(ReadModelSupports(rt.db), store)
    engine = Engine(
        views,
        store,
        pool,
        proposal_ttl=timedelta(hours=settings.proposal_ttl_hours),
        relay=RelayOutbox(relay),
        metrics=rt.matching_metrics,
    )
    followups = FollowUps(followup_store, clock=engine.clock)
    engine.followed = followups.match_changed

    requests.register(
        rt.broker,
        views,
        settings=settings,
        service=SERVICE,
        on_change=engine.requests_changed if settings.online else None,
        on_contacts=followups.contacts_logged,
    )
    rights = rights_handler(rt.db, support_gone=engine.support_changed)
    register_rights(rt.broker, rights, settings=settings, service=SERVICE)
    on_support = engine.support_changed
    offers.register(
        rt.broker, offer_views, settings=settings, service=SERVICE, on_change=on_support
    )
    volunteers.register(
        rt.broker, volunteer_views, settings=settings, service=SERVICE, on_change=on_support
    )
    lifespans = [partial(outbox.running, relay), partial(outbox.running, waitlist_relay)]
    if settings.scheduler:
        lifespans.append(
            partial(scheduler.running, engine, settings.batch_interval_seconds, followups=followups)
        )
    if settings.coordinator_emails:  # the coordinators' daily digest, by e-mail
        notifier = notifier_from(rt.db, settings, registry=rt.registry)
        mailing = (store, followup_store, volunteer_views, notifier, settings.coordinator_emails)
        lifespans.append(partial(digest.running, *mailing, settings.digest_link))
    app = service_app(
        rt,
        routers=[api.router, pages.router, followup_pages.router],
        startup=[
            views.ensure_indexes,
            offer_views.ensure_indexes,
            store.ensure_indexes,
            followup_store.ensure_indexes,
            rights.ensure_indexes,  # last: the adapters' own indexes come first
        ],
        lifespans=lifespans,
    )
    templates = templates_for("entraide.matching", nav=NAV)
    install_auth(app, settings, templates, home_admits=QUEUE_ROLES)
    names = Names(
        views,
        offer_views,
        volunteer_views,
        intake_url=settings.intake_url.rstrip("/"),
        directory_url=settings.directory_url.rstrip("/"),
    )
    provide(
        app,
        engine,
        followups,
        names,
        Listings(views, store, followup_store),
        Waitlist(views, pool, clock=engine.clock),
        Pages(templates, common=pages.common),
        # what the tests and the benchmarks reach (no route reads them)
        rights,
        views,
        store,
        offer_views,
        volunteer_views,
        followup_store,
    )
    return app
