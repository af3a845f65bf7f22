"""Helpers for tests that run services against the real Kafka and store."""

import asyncio
import contextlib
import copy
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import httpx
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from fastapi import FastAPI

from tests.rights_support import assert_rights_declared

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
        "collected_by": "Claire (PPM)",
        "collected_at": "2026-11-28T10:00:00Z",
    },
}
IDENTITY_VALUES = ("Amina", "Diallo", "06 12 34 56 78", "amina.diallo", "Nantes", "fatigu")


def request_body() -> dict[str, Any]:
    return copy.deepcopy(REQUEST_BODY)


@contextlib.asynccontextmanager
async def serving(
    app: FastAPI, *, ready: bool = True, raise_errors: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    """Run the app's lifespan and talk to it in-process; optionally wait until /readyz is 200.
    With `raise_errors=False` an unhandled exception comes back as the 500 a client sees.
    As it stops, an app answering privacy's commands by reference is checked: every
    reference field the test's flows wrote is where its handler looks (`rights_support`)."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_errors)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            if ready:
                await eventually(lambda: _ready(client), timeout=60, what="service ready")
            yield client
        await assert_rights_declared(app)


async def pages(
    client: httpx.AsyncClient, url: str, headers: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Every page a paged API answers (directory's staff volunteers), following each
    answer's `next` (an address relative to the one asked) until it is null."""
    answers: list[dict[str, Any]] = []
    following: str | None = url
    while following:
        answer = await client.get(following, headers=headers)
        assert answer.status_code == 200, answer.text
        answers.append(answer.json())
        nxt = answers[-1]["next"]
        following = str(answer.request.url.join(nxt)) if nxt else None
    return answers


async def _ready(client: httpx.AsyncClient) -> bool:
    return (await client.get("/readyz")).status_code == 200


def reconnected(readiness: httpx.Response) -> bool:
    """A /readyz answer of a service ready and seeing Kafka and its store again: after a
    fault, its consumers resumed (ready alone stays true while a dependency is down)."""
    return readiness.status_code == 200 and set(readiness.json()["checks"].values()) == {"ok"}


async def eventually(
    check: Callable[[], Awaitable[T]], *, timeout: float = 30, what: str = "condition"
) -> T:
    """Poll `check` until it returns something truthy; a check that itself hangs fails too."""
    deadline = time.monotonic() + timeout
    while True:
        left = max(deadline - time.monotonic(), 5.0)
        try:
            result = await asyncio.wait_for(check(), left)
        except TimeoutError:
            raise AssertionError(f"waiting for {what}: a check hung for {left:.0f}s") from None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.2)


async def scan(
    bootstrap: str,
    topic: str,
    where: Callable[[ConsumerRecord[bytes, bytes]], bool] = lambda r: True,
    *,
    until: Callable[[list[ConsumerRecord[bytes, bytes]]], bool] = lambda f: False,
    timeout: float = 30,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Read the topic from the start; return the matching records once `until` holds, or all
    of them once the end is reached and `until` never asked to stop early."""
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
            found += [r for part in batch.values() for r in part if where(r)]
            if until(found) and not batch:
                return found
        return found
    finally:
        await consumer.stop()


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
    found = await scan(
        bootstrap,
        topic,
        lambda r: r.key == key and where(r),
        until=lambda f: len(f) >= at_least,
        timeout=timeout,
    )
    if len(found) < at_least:
        raise AssertionError(
            f"saw {len(found)} records keyed {key!r} on {topic}, wanted {at_least}"
        )
    return found


READ_ALL_TIMEOUT_S = 60


async def everything(bootstrap: str, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record on the topic now, read up to the end offsets seen at the start."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        group_id=None,
    )
    await consumer.start()
    try:
        async with asyncio.timeout(READ_ALL_TIMEOUT_S):
            found: list[ConsumerRecord[bytes, bytes]] = []
            while not consumer.assignment():  # without a group, every partition is assigned
                batch = await consumer.getmany(timeout_ms=200)
                found += [r for part in batch.values() for r in part]
            ends = await consumer.end_offsets(list(consumer.assignment()))
            while any([await consumer.position(tp) < end for tp, end in ends.items()]):
                batch = await consumer.getmany(timeout_ms=1000)
                found += [r for part in batch.values() for r in part]
            return found
    except TimeoutError:
        raise AssertionError(f"{topic} not read to its end in {READ_ALL_TIMEOUT_S}s") from None
    finally:
        await consumer.stop()


@contextlib.asynccontextmanager
async def scratch_topic(bootstrap: str, prefix: str, *, partitions: int = 1) -> AsyncIterator[str]:
    """A topic and its dead-letter topic for one test or benchmark, deleted afterwards."""
    name = f"{prefix}.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, 1), NewTopic(f"{name}.dlq", 1, 1)])
        yield name
        await admin.delete_topics([name, f"{name}.dlq"])
    finally:
        await admin.close()
