"""Privacy's wiring. Rights requests, retention and erasure arrive with their own issue;
for now the service runs, probes its dependencies and documents itself."""

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from entraide.contracts.kit.broker import make_broker
from entraide.contracts.kit.service import mongo_client, service_app
from entraide.privacy.settings import PrivacySettings

SERVICE = "privacy"


def create_app(settings: PrivacySettings | None = None) -> FastAPI:
    settings = settings or PrivacySettings()
    registry = CollectorRegistry()
    broker = make_broker(settings, service=SERVICE, registry=registry)
    db = mongo_client(settings)[settings.database]
    return service_app(service=SERVICE, settings=settings, broker=broker, db=db, registry=registry)
