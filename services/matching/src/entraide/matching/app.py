"""Matching's wiring: settings, read models, broker handlers and HTTP routes."""

from fastapi import FastAPI

from entraide.contracts.kit.service import runtime, service_app
from entraide.matching import api, handlers, offers, volunteers
from entraide.matching.settings import MatchingSettings
from entraide.matching.store import RequestViews

SERVICE = "matching"


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    settings = settings or MatchingSettings()
    rt = runtime(SERVICE, settings)
    views = RequestViews(rt.db)
    handlers.register(rt.broker, views, settings=settings, service=SERVICE)
    offer_views = offers.OfferViews(rt.db)
    offers.register(rt.broker, offer_views, settings=settings, service=SERVICE)
    volunteer_views = volunteers.VolunteerViews(rt.db)
    volunteers.register(rt.broker, volunteer_views, settings=settings, service=SERVICE)
    app = service_app(
        rt, routers=[api.router], startup=[views.ensure_indexes, offer_views.ensure_indexes]
    )
    app.state.views = views
    app.state.offer_views = offer_views
    app.state.volunteer_views = volunteer_views
    return app
