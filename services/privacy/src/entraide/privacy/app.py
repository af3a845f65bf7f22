"""Privacy's wiring. Rights requests, retention and erasure arrive with their own issue;
for now the service runs, probes its dependencies and documents itself."""

from fastapi import FastAPI

from entraide.contracts.kit.service import runtime, service_app
from entraide.privacy.settings import PrivacySettings

SERVICE = "privacy"


def create_app(settings: PrivacySettings | None = None) -> FastAPI:
    return service_app(runtime(SERVICE, settings or PrivacySettings()))
