"""Matching's wiring: read models, the engine, its clock, the outbox relay, API and pages."""

from datetime import timedelta
from functools import partial

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from entraide.kit import outbox
from entraide.kit.auth import install_auth
from entraide.kit.rights import register_rights
from entraide.kit.service import runtime, service_app
from entraide.kit.web import templates_for
from entraide.matching import api, handlers, offers, pages, scheduler, volunteers
from entraide.matching.engine import Engine
from entraide.matching.followup_store import FollowUpStore
from entraide.matching.followups import FollowUps
from entraide.matching.matches import MatchStore
from entraide.matching.outbox import RelayOutbox
from entraide.matching.pool import SupportPool
from entraide.matching.rights import rights_handler
from entraide.matching.settings import MatchingSettings
from entraide.matching.store import RequestViews
from entraide.matching.supports import ReadModelSupports

SERVICE = "matching"


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    settings = settings or MatchingSettings()
    rt = runtime(SERVICE, settings)
    views = RequestViews(rt.db)
    store = MatchStore(rt.db)
    relay = outbox.OutboxRelay(
        store.matches,
        rt.broker,
        registry=rt.registry,
        idle_poll_seconds=settings.outbox_idle_poll_seconds,
    )
    # the waitlist announces its entries (`match.waitlisted`) through its own outbox;
    # its relay counts in a registry of its own (the service's shows the matches' relay)
    waitlist_relay = outbox.OutboxRelay(
        store.waitlist,
        rt.broker,
        registry=CollectorRegistry(),
        idle_poll_seconds=settings.outbox_idle_poll_seconds,
    )
    store.waited, store.announce = waitlist_relay.wake, settings.announce_waitlist
    engine = Engine(
        views,
        store,
        SupportPool(ReadModelSupports(rt.db), store),
        proposal_ttl=timedelta(hours=settings.proposal_ttl_hours),
        relay=RelayOutbox(relay),
        metrics=rt.matching_metrics,
    )
    followup_store = FollowUpStore(rt.db)
    followups = FollowUps(followup_store, clock=engine.clock)
    engine.followed = followups.match_changed
    on_request = engine.requests_changed if settings.online else None
    handlers.register(
        rt.broker,
        views,
        settings=settings,
        service=SERVICE,
        on_change=on_request,
        on_contacts=followups.contacts_logged,
    )
    register_rights(rt.broker, rights_handler(rt.db), settings=settings, service=SERVICE)
    offer_views = offers.OfferViews(rt.db)
    volunteer_views = volunteers.VolunteerViews(rt.db)
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
    app = service_app(
        rt,
        routers=[api.router, pages.router],
        startup=[
            views.ensure_indexes,
            offer_views.ensure_indexes,
            store.ensure_indexes,
            followup_store.ensure_indexes,
        ],
        lifespans=lifespans,
    )
    app.state.templates = templates_for(
        "entraide.matching",
        nav=[
            ("/propositions", "Propositions"),
            ("/attente", "Liste d'attente"),
            ("/suivis", "Suivis"),
        ],
    )
    install_auth(app, settings, app.state.templates)
    app.state.views = views
    app.state.offer_views = offer_views
    app.state.volunteer_views = volunteer_views
    app.state.engine = engine
    app.state.matches = store  # the documents pages and the API list
    app.state.relay = relay
    app.state.followups = followups
    app.state.followup_store = followup_store  # the schedules the pages read
    return app
