"""Helpers for tests that run services against the real Kafka and store."""

import asyncio
import contextlib
import copy
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import httpx
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from fastapi import FastAPI

T = TypeVar("T")

REQUEST_BODY: dict[str, Any] = {
    "parent": {
        "first_name": "Amina",
        "last_name": "Diallo",
        "phone": "06 12 34 56 78",
        "email": "amina.diallo@example.org",
    },
    "children": [{"birth_year": 2019}, {"birth_year": 2023}],
    "postal_code": "44000",
    "commune": "Nantes",
    "languages": ["fr", "ar"],
    "contact_preferences": ["sms"],
    "needs": ["parrainage-de-proximite", "repit-garde-ponctuelle"],
    "availability": [{"day": "we", "part": "afternoon"}],
    "signs": ["epuisement-declare", "aucun-relais-familial"],
    "notes": "Maman solo depuis mars, très fatiguée.",
    "association_id": "parrains-par-mille",
    "consent": {
        "matching": True,
        "collected_by": "Claire (PPM Nantes)",
        "collected_at": "2026-11-28T10:00:00Z",
    },
}
IDENTITY_VALUES = ("Amina", "Diallo", "06 12 34 56 78", "amina.diallo", "Nantes", "fatigu")


def request_body() -> dict[str, Any]:
    return copy.deepcopy(REQUEST_BODY)


@contextlib.asynccontextmanager
async def serving(app: FastAPI, *, ready: bool = True) -> AsyncIterator[httpx.AsyncClient]:
    """Run the app's lifespan and talk to it in-process; optionally wait until /readyz is 200."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            if ready:
                await eventually(lambda: _ready(client), timeout=60, what="service ready")
            yield client


async def _ready(client: httpx.AsyncClient) -> bool:
    return (await client.get("/readyz")).status_code == 200


async def eventually(
    check: Callable[[], Awaitable[T]], *, timeout: float = 30, what: str = "condition"
) -> T:
    """Poll `check` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.2)


async def records(
    bootstrap: str,
    topic: str,
    *,
    key: bytes,
    at_least: int = 1,
    where: Callable[[ConsumerRecord[bytes, bytes]], bool] = lambda r: True,
    timeout: float = 30,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Read the topic from the start until `at_least` matching records with this key are seen."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    found: list[ConsumerRecord[bytes, bytes]] = []
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            found += [r for part in batch.values() for r in part if r.key == key and where(r)]
            if len(found) >= at_least and not batch:
                return found
        raise AssertionError(
            f"saw {len(found)} records keyed {key!r} on {topic}, wanted {at_least}"
        )
    finally:
        await consumer.stop()
