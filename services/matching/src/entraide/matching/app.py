"""Matching's wiring: settings, read models, broker handlers and HTTP routes."""

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from entraide.contracts.kit.broker import make_broker
from entraide.contracts.kit.service import mongo_client, service_app
from entraide.matching import api, handlers
from entraide.matching.settings import MatchingSettings
from entraide.matching.store import RequestViews

SERVICE = "matching"


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    settings = settings or MatchingSettings()
    registry = CollectorRegistry()
    broker = make_broker(settings, service=SERVICE, registry=registry)
    db = mongo_client(settings)[settings.database]
    views = RequestViews(db)
    handlers.register(broker, views, settings=settings, service=SERVICE)
    app = service_app(
        service=SERVICE,
        settings=settings,
        broker=broker,
        db=db,
        registry=registry,
        routers=[api.router],
        startup=[views.ensure_indexes],
    )
    app.state.views = views
    return app
