"""/readyz is the readinessProbe: it fails on the process's own state only. Kafka or the
store down for every pod at once used to take every pod out of its Service (privacy's key
vault included, families shown the Ingress's English 503); now it says so and stays 200."""

import asyncio

import httpx
import pytest

from entraide.intake.settings import IntakeSettings
from entraide.kit import service
from entraide.kit.service import runtime, service_app

NOTHING_THERE = "127.0.0.1:1"  # connections refused: Kafka and the store unreachable


async def test_ready_once_subscribed_even_when_kafka_and_the_store_are_down(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    subscribed = asyncio.Event()

    async def start_when_reachable(_broker: object) -> None:
        await subscribed.wait()  # the broker starts when the test says, then Kafka goes

    monkeypatch.setattr(service, "start_when_reachable", start_when_reachable)
    settings = IntakeSettings(
        kafka_bootstrap=NOTHING_THERE, mongodb_uri=f"mongodb://{NOTHING_THERE}/"
    )
    app = service_app(runtime("intake", settings))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        unstarted = await client.get("/readyz")
        async with app.router.lifespan_context(app):
            starting = await client.get("/readyz")
            subscribed.set()
            await asyncio.sleep(0.1)
            after = await client.get("/readyz")

    assert unstarted.status_code == 503
    assert unstarted.json()["startup"] == "running"
    assert starting.status_code == 503  # a rollout still waits for the consumers
    assert starting.json()["consumers"] == "starting"
    assert after.status_code == 200
    assert after.json() == {
        "status": "ready",
        "startup": "done",
        "consumers": "subscribed",
        "checks": {"kafka": "down", "database": "down"},
    }
