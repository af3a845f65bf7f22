"""Public forms' limits per address are shared by a service's replicas through the store
(kit/buckets.py), on the real store: two buckets' users on one collection admit what one
would; two intake apps on one database, posts alternated between them, hold the kit's limit,
the family door's own limits per address (requests, status lookups) and per contact for the
sum, not for each."""

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.buckets import SharedBuckets
from entraide.kit.deps import lookup
from tests.integration.test_family_door import form
from tests.integration.test_partner_doors import partner_event, signed
from tests.smtp_server import running_smtp_server
from tests.support import eventually

pytestmark = [pytest.mark.store]


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_two_replicas_buckets_admit_the_limit_once_for_the_sum(mongo) -> None:
    buckets = mongo[f"test_buckets_{uuid.uuid4().hex[:8]}"]["rate_buckets"]
    clock = Clock()
    one, two = (SharedBuckets(buckets, "4/minute", secret=b"s", clock=clock) for _ in range(2))
    waits = [await (one, two)[i % 2].retry_after("POST /door", "192.0.2.1") for i in range(8)]
    assert waits[:4] == [None] * 4
    assert waits[4:] == [15] * 4  # a token every 15 s, for both replicas
    assert await buckets.count_documents({}) == 1
    stored = await buckets.find_one({})
    assert "192.0.2" not in str(stored)  # the address is not stored, a keyed hash is
    assert await two.retry_after("POST /door", "192.0.2.2") is None  # another address
    assert await one.retry_after("GET /door", "192.0.2.1") is None  # another door

    clock.now += 15  # one token back: one post, whichever replica serves it
    assert await one.retry_after("POST /door", "192.0.2.1") is None
    assert await two.retry_after("POST /door", "192.0.2.1") == 15
    assert await one.retry_after("POST /door", "192.0.2.1") == 15

    clock.now += 3600  # every bucket is full again: gone from the store at the next sweep
    assert await one.retry_after("POST /door", "192.0.2.9") is None
    assert await buckets.count_documents({}) == 1


def seen_from(app: FastAPI, address: str) -> httpx.AsyncClient:
    """A client of one replica, from the client `address`."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://intake")


async def alternated(apps: tuple[FastAPI, FastAPI], address: str, posts: list[tuple[str, dict]]):
    """The posts sent in turn to each replica from one address: their answers."""
    clients = [seen_from(app, address) for app in apps]
    try:
        return [await clients[i % 2].post(path, data=data) for i, (path, data) in enumerate(posts)]
    finally:
        for client in clients:
            await client.aclose()


@asynccontextmanager
async def running(*apps: FastAPI) -> AsyncIterator[None]:
    """The replicas' lifespans, each ready."""
    async with AsyncExitStack() as stack:
        for app in apps:
            await stack.enter_async_context(app.router.lifespan_context(app))
            async with seen_from(app, "127.0.0.1") as probe:
                await eventually(lambda: _ready(probe), timeout=60, what="intake ready")
        yield


async def _ready(client: httpx.AsyncClient) -> bool:
    return (await client.get("/readyz")).status_code == 200


async def test_two_intake_replicas_hold_the_public_limits_for_the_sum(
    intake_settings, mongo
) -> None:
    settings = intake_settings.model_copy(update={"public_rate_limit": "12/minute"})
    db = mongo[settings.database]
    with running_smtp_server() as box:
        settings = settings.model_copy(update={"smtp_port": box.port})
        apps = intake_app(settings), intake_app(settings)
        door = lookup(apps[0], FamilyDoor)
        async with running(*apps):
            # the kit's limit on public posts: 12 a minute for the address, not 12 a replica
            fast = form(door, debut=door.form_token(time.time()))  # refused as a script
            posts = await alternated(apps, "192.0.2.10", [("/demander-aide", fast)] * 16)
            assert [p.status_code for p in posts] == [422] * 12 + [429] * 4
            assert int(posts[-1].headers["retry-after"]) >= 1
            assert "Trop de demandes" in posts[-1].text

            # the door's own limit on status lookups: 30 an hour for the address
            wrong = {"code": "AAAA-AAAA-AAAA-AAAA"}
            guesses = await alternated(apps, "192.0.2.11", [("/suivi", wrong)] * 34)
            assert [g.status_code for g in guesses] == [422] * 30 + [429] * 4

            # the door's own limit on requests: 10 an hour for the address
            requests = [
                form(door, **{"parent.phone": "", "parent.email": f"p{i}@example.org"})
                | {"contact_preferences": ["email"]}
                for i in range(12)
            ]
            sent = await alternated(apps, "192.0.2.12", [("/demander-aide", r) for r in requests])
            assert [s.status_code for s in sent] == [200] * 10 + [429] * 2
            assert await db["self_requests"].count_documents({}) == 10

            # one phone number, from four addresses, through both replicas: 3 a day
            by_phone = []
            for i in range(4):
                data = form(door, **{"parent.first_name": f"Prénom{i}", "parent.email": ""})
                async with seen_from(apps[i % 2], f"192.0.2.{20 + i}") as client:
                    answer = await client.post(
                        "/demander-aide", data=data | {"contact_preferences": ["sms"]}
                    )
                by_phone.append(answer.status_code)
            assert by_phone == [200, 200, 200, 429]
            assert await db["self_requests"].count_documents({}) == 13
    stored = [bucket async for bucket in db["rate_buckets"].find({})]
    assert len(stored) >= 4
    assert "192.0.2" not in str(stored)


async def test_two_intake_replicas_hold_the_partner_doors_failures_for_the_sum(
    partner_settings, mongo
) -> None:
    """Badly signed posts from one address are counted by both replicas together: a
    forger alternating between them is stopped at the limit, not at twice the limit."""
    settings = partner_settings.model_copy(update={"public_rate_limit": "6/minute"})
    source = settings.partners["caf-44"].source
    apps = intake_app(settings), intake_app(settings)
    async with running(*apps):
        clients = [seen_from(app, "192.0.2.30") for app in apps]
        try:
            codes = []
            for i in range(9):
                body = partner_event(source)
                forged = signed(body, secret="forged")
                answer = await clients[i % 2].post(
                    "/api/v1/partner-events", content=body, headers=forged
                )
                codes.append(answer.status_code)
            assert codes == [401] * 6 + [429] * 3
            # a partner signing well from that address is not refused for the forger
            body = partner_event(source)
            answer = await clients[0].post(
                "/api/v1/partner-events", content=body, headers=signed(body)
            )
            assert answer.status_code == 201, answer.text
        finally:
            for client in clients:
                await client.aclose()
    assert "192.0.2" not in str(
        [b async for b in mongo[settings.database]["rate_buckets"].find({})]
    )
