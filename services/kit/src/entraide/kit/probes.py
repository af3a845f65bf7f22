"""The probes: /healthz (alive), /readyz (ready for traffic), /metrics.

/readyz fails only on the process's own state: its startup ran and its broker started once
(its consumers subscribed, so a rollout waits for them). Kafka and the store are reported
in the body, never failed on: it is the Kubernetes readinessProbe, and a dependency down
for every pod at once would empty every Service (privacy's key vault included) and answer
families the Ingress's English 503. The app's own French 503 covers a route that needs
what is down, and intake takes requests into its outbox while Kafka is away.
"""

from dataclasses import dataclass
from typing import Any

import pymongo
from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from faststream.kafka import KafkaBroker
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from pymongo.asynchronous.database import AsyncDatabase

PROBE_TIMEOUT_S = 2.0


@dataclass
class Readiness:
    """What the process knows of itself; the lifespan sets it."""

    started: bool = False  # the startup steps ran and the service is not stopping
    subscribed: bool = False  # the broker started once: the consumers are subscribed

    @property
    def ready(self) -> bool:
        return self.started and self.subscribed


def probes(
    broker: KafkaBroker,
    db: AsyncDatabase[dict[str, Any]],
    registry: CollectorRegistry,
    readiness: Readiness,
) -> APIRouter:
    """The probes' routes."""
    router = APIRouter(tags=["ops"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/readyz", summary="Started and subscribed; Kafka and the database reported, not required"
    )
    async def readyz() -> JSONResponse:
        checks = {"kafka": await kafka_ready(broker), "database": await store_ready(db)}
        body = {
            "status": "ready" if readiness.ready else "not-ready",
            "startup": "done" if readiness.started else "running",
            "consumers": "subscribed" if readiness.subscribed else "starting",
            "checks": {k: "ok" if v else "down" for k, v in checks.items()},
        }
        return JSONResponse(body, status_code=200 if readiness.ready else 503)

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router


async def kafka_ready(broker: KafkaBroker) -> bool:
    """Whether the broker is started and Kafka answers a ping."""
    if not broker.running:
        return False
    try:
        return await broker.ping(timeout=PROBE_TIMEOUT_S)
    except Exception:
        return False


async def store_ready(db: AsyncDatabase[dict[str, Any]]) -> bool:
    """Bounded by the driver's own timeout, never by cancelling it: on Python 3.11 a
    PyMongo operation cancelled from outside (`asyncio.wait_for`) while it waits for a
    server can leave the client's topology lock held by no one, and every later operation
    of the process then waits forever (seen after the store was killed and restarted)."""
    try:
        with pymongo.timeout(PROBE_TIMEOUT_S):
            await db.command("ping")
    except Exception:
        return False
    return True
