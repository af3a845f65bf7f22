"""Matching's wiring: settings, read models, broker handlers and HTTP routes."""

from fastapi import FastAPI

from entraide.contracts.kit.service import runtime, service_app
from entraide.matching import api, handlers
from entraide.matching.settings import MatchingSettings
from entraide.matching.store import RequestViews

SERVICE = "matching"


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    settings = settings or MatchingSettings()
    rt = runtime(SERVICE, settings)
    views = RequestViews(rt.db)
    handlers.register(rt.broker, views, settings=settings, service=SERVICE)
    app = service_app(rt, routers=[api.router], startup=[views.ensure_indexes])
    app.state.views = views
    return app
