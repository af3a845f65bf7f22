"""Run one service with uvicorn: JSON logs, graceful shutdown on SIGTERM, the client's
address from the trusted proxies' X-Forwarded-For."""

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
        # the client's address behind the Ingress, for the limits per address (kit.protect)
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_config=None,
        timeout_graceful_shutdown=int(settings.graceful_timeout_seconds),
    )
