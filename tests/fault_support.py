"""The fault tests' world: intake and matching on a throwaway broker (and maybe store),
volunteers to match with, partner events to send, and the checks every fault ends with:
nothing lost, nothing twice, outboxes drained, consumers resumed, no dead letter."""

import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from pydantic import SecretStr

from entraide.contracts import new_event
from entraide.contracts.topics import PARTNER_RAW, REQUESTS, VOLUNTEERS
from entraide.intake.domain import partners
from entraide.intake.domain.partners import Partner, Quota
from entraide.intake.entrypoints.partner_event import PARTNER_EVENT_TYPE
from entraide.intake.settings import IntakeSettings
from entraide.matching.settings import MatchingSettings
from tests.infra import Endpoints, settings_on
from tests.matching_support import volunteer
from tests.support import eventually, everything, reconnected, request_body, serving

SECRET = "fault-partner-secret"
PARTNER_KEY = "caf-44"
SOURCE = "urn:entraide:partner:caf-44-faults"
VOLUNTEERS_NEEDED = 50  # capacity 5 each: more places than any fault test sends families
# the fault tests send as fast as intake answers: a quota of their own would refuse them
QUOTA = {"per_minute": 600_000, "burst": 100_000}


@dataclass
class World:
    """Where the services of one fault test run, and their settings."""

    ends: Endpoints
    name: str

    def intake(self, **extra: Any) -> IntakeSettings:
        return settings_on(
            IntakeSettings,
            self.ends,
            f"{self.name}_intake",
            keys="local",
            outbox_idle_poll_seconds=0.2,
            public_rate_limit="100000/minute",
            retry_backoff_seconds=0.05,
            partners={
                PARTNER_KEY: Partner(
                    secret=SecretStr(SECRET), source=SOURCE, quota=Quota.model_validate(QUOTA)
                )
            },
            **extra,
        )

    def matching(self, **extra: Any) -> MatchingSettings:
        # the batch re-offers families whose at-once proposal a fault interrupted
        values = {"scheduler": True, "batch_interval_seconds": 5} | extra
        return settings_on(
            MatchingSettings,
            self.ends,
            f"{self.name}_matching",
            outbox_idle_poll_seconds=0.2,
            retry_backoff_seconds=0.05,
            **values,
        )

    def env(self, service: str) -> dict[str, str]:
        """The same settings as environment variables, for a service run as a process."""
        return {
            "ENTRAIDE_KAFKA_BOOTSTRAP": self.ends.kafka_bootstrap,
            "ENTRAIDE_MONGODB_URI": self.ends.mongodb_uri,
            "ENTRAIDE_CONSUMER_GROUP_PREFIX": f"{self.name}_{service}",
            f"ENTRAIDE_{service.upper()}_DATABASE": f"{self.name}_{service}",
            "ENTRAIDE_KEYS": "local",
            "ENTRAIDE_PUBLIC_RATE_LIMIT": "100000/minute",
            "ENTRAIDE_OUTBOX_IDLE_POLL_SECONDS": "0.2",
            "ENTRAIDE_RETRY_BACKOFF_SECONDS": "0.05",
            "ENTRAIDE_SCHEDULER": "true",
            "ENTRAIDE_BATCH_INTERVAL_SECONDS": "5",
            # batches small enough that a kill lands in the middle of the work (intake's
            # partner door, matching's requests)
            "ENTRAIDE_PARTNER_BATCH_MAX_RECORDS": "10",
            "ENTRAIDE_REQUESTS_BATCH_MAX_RECORDS": "10",
            "ENTRAIDE_PARTNERS": json.dumps(
                {PARTNER_KEY: {"secret": SECRET, "source": SOURCE, "quota": QUOTA}}
            ),
        }


def partner_event(event_id: str, parent: dict[str, str] | None = None) -> bytes:
    """A partner's event; `parent` another parent than the default one (whose every
    family would be flagged a possible duplicate of the previous ones)."""
    data = request_body()
    del data["association_id"]
    if parent is not None:
        data["parent"] = parent
    return json.dumps(
        {
            "specversion": "1.0",
            "id": event_id,
            "source": SOURCE,
            "type": PARTNER_EVENT_TYPE,
            "data": data,
        }
    ).encode()


def signed(body: bytes, key: str = PARTNER_KEY, secret: str = SECRET) -> dict[str, str]:
    """The partner door's headers for `body`, signed now with this partner's secret."""
    stamp = str(int(time.time()))
    return {
        "X-Entraide-Partner": key,
        "X-Entraide-Timestamp": stamp,
        "X-Entraide-Signature": partners.signature(secret, stamp, body),
        "content-type": "application/cloudevents+json",
    }


async def post_partner_event(intake: httpx.AsyncClient, event_id: str) -> int:
    body = partner_event(event_id)
    return (
        await intake.post("/api/v1/partner-events", content=body, headers=signed(body))
    ).status_code


def event_ids(n: int) -> list[str]:
    run = uuid.uuid4().hex[:6]
    return [f"{run}-{i}" for i in range(n)]


async def send_volunteers(bootstrap: str, count: int = VOLUNTEERS_NEEDED) -> None:
    """Volunteers near Nantes on the volunteers topic, so requests get proposals."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for i in range(count):
            ref = f"fault-vol-{i}"
            event = new_event(volunteer(ref, capacity=5), source="/tests", subject=ref)
            await producer.send_and_wait(
                VOLUNTEERS.name, event.model_dump_json().encode(), key=ref.encode()
            )
    finally:
        await producer.stop()


async def dead_letters(bootstrap: str, *topics: str) -> list[str]:
    """Each dead letter on these topics' .dlq as `topic: reason`."""
    found = []
    for topic in topics or (REQUESTS.name,):
        for record in await everything(bootstrap, f"{topic}.dlq"):
            headers = dict(record.headers or ())
            found.append(f"{topic}: {headers.get('x-dlq-reason', b'?').decode()}")
    return found


async def settled(mongo: Any, world: World, expected: int) -> bool:
    """Every accepted family is in intake, published, known to matching and proposed to."""
    intake_db, matching_db = mongo[f"{world.name}_intake"], mongo[f"{world.name}_matching"]
    families = await intake_db["families"].count_documents({})
    pending = await intake_db["families"].count_documents({"outbox_pending": True})
    known = await matching_db["requests"].count_documents({})
    proposed = len(await matching_db["matches"].distinct("request_id"))
    return families == expected and pending == 0 and known == expected == proposed


async def assert_nothing_lost_nothing_twice(mongo: Any, world: World, expected: int) -> None:
    intake_db, matching_db = mongo[f"{world.name}_intake"], mongo[f"{world.name}_matching"]
    assert await intake_db["families"].count_documents({}) == expected
    assert await intake_db["families"].count_documents({"outbox_pending": True}) == 0
    request_ids = [r["_id"] async for r in matching_db["requests"].find({}, {"_id": 1})]
    assert len(request_ids) == len(set(request_ids)) == expected
    proposals: dict[str, int] = {}
    async for match in matching_db["matches"].find({}, {"request_id": 1}):
        proposals[match["request_id"]] = proposals.get(match["request_id"], 0) + 1
    assert all(n == 1 for n in proposals.values()), "a family got two proposals"
    assert len(proposals) == expected, "every family near the volunteers got its proposal"


async def volunteers_known(mongo: Any, world: World) -> bool:
    found = await mongo[f"{world.name}_matching"]["volunteers"].count_documents({})
    return bool(found >= VOLUNTEERS_NEEDED)


async def send_partner_events(bootstrap: str, ids: list[str]) -> None:
    """Partner events on the partners' Kafka door, all at once (one batch to consume)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        for event_id in ids:
            await producer.send(PARTNER_RAW.name, partner_event(event_id), key=event_id.encode())
        await producer.flush()
    finally:
        await producer.stop()


def new_world(bootstrap: str, mongodb_uri: str) -> World:
    """A world of its own (databases, consumer groups) on this broker and store."""
    return World(Endpoints(bootstrap, mongodb_uri, "throwaway"), f"fault_{uuid.uuid4().hex[:8]}")


@contextlib.asynccontextmanager
async def intake_and_matching(
    world: World, mongo: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Volunteers sent, then intake and matching served in-process on the world, once
    matching knows the volunteers: what every in-process fault starts from."""
    from entraide.intake.app import create_app as intake_app
    from entraide.matching.app import create_app as matching_app

    await send_volunteers(world.ends.kafka_bootstrap)
    async with (
        serving(intake_app(world.intake())) as intake,
        serving(matching_app(world.matching())) as matching,
    ):
        await eventually(lambda: volunteers_known(mongo, world), timeout=60, what="volunteers")
        yield intake, matching


async def ready(*clients: httpx.AsyncClient) -> bool:
    """Every service answers ready and reconnected (its consumers resumed after the fault)."""
    return all([reconnected(await c.get("/readyz")) for c in clients])


async def assert_clean_end(mongo: Any, world: World, expected: int, *topics: str) -> None:
    """What every fault ends with: nothing lost, nothing twice, no dead letter on `topics`."""
    await assert_nothing_lost_nothing_twice(mongo, world, expected)
    assert await dead_letters(world.ends.kafka_bootstrap, *topics) == []
