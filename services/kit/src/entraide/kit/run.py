"""Run one service with uvicorn: JSON logs, graceful shutdown on SIGTERM."""

from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from entraide.kit.logs import configure_logging
from entraide.kit.settings import ServiceSettings
from entraide.kit.telemetry import configure_tracing


def serve(
    service: str, settings: ServiceSettings, create_app: Callable[[], FastAPI], port: int
) -> None:
    """Serve until SIGTERM/SIGINT; the lifespan then drains the broker's in-flight messages."""
    configure_logging(settings.log_level, service)
    configure_tracing(service, settings)
    uvicorn.run(
        create_app(),
        host=settings.host,
        port=port,
        log_config=None,
        timeout_graceful_shutdown=int(settings.graceful_timeout_seconds),
    )
