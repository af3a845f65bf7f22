"""Directory's wiring. Associations, offers and volunteers arrive with their own issue;
for now the service runs, probes its dependencies and documents itself."""

from fastapi import FastAPI

from entraide.contracts.kit.service import runtime, service_app
from entraide.directory.settings import DirectorySettings

SERVICE = "directory"


def create_app(settings: DirectorySettings | None = None) -> FastAPI:
    return service_app(runtime(SERVICE, settings or DirectorySettings()))
