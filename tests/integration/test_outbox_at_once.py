"""A writer that publishes its own events at once (matching's online proposal), against the
real broker and store: published when the call returns, nothing left pending; if the
writer could not publish, or died, the relay publishes from the intent once it is stale,
and drops an intent whose write never happened."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry

from entraide.contracts import new_event, parse_event
from entraide.contracts.events import MatchClosed
from entraide.contracts.kit.outbox import DONE, OutboxRelay, outbox_entry
from entraide.contracts.topics import MATCHES
from entraide.contracts.vocab import MatchOutcome
from tests.support import eventually, records, scan


def _event(family_ref: str):
    data = MatchClosed(
        match_id=uuid.uuid4().hex,
        request_id=uuid.uuid4().hex,
        family_ref=family_ref,
        outcome=MatchOutcome.COMPLETED,
        closed_at=datetime.now(UTC),
    )
    return new_event(data, source="/tests/outbox", subject=family_ref)


async def _keyed(infra, key: str) -> list:
    """Every record with this key on the matches topic (read to its end)."""
    where = lambda r: r.key == key.encode()  # noqa: E731
    return await scan(infra.kafka_bootstrap, MATCHES.name, where, until=lambda f: True)


@contextlib.asynccontextmanager
async def relay_on(infra, db, **options) -> AsyncIterator[OutboxRelay]:
    broker = KafkaBroker(infra.kafka_bootstrap)
    await broker.start()
    relay = OutboxRelay(
        db["docs"],
        broker,
        registry=CollectorRegistry(),
        intents=db["intents"],
        **{"idle_poll_seconds": 0.1} | options,
    )
    task = asyncio.create_task(relay.run())
    try:
        yield relay
    finally:
        relay.stop()
        await asyncio.wait_for(task, 10)
        await broker.stop()


async def test_the_writer_publishes_at_once_and_leaves_nothing_pending(infra, mongo, unique):
    db = mongo[f"test_outbox_{unique}"]
    family_ref = f"fam-{unique}"
    event = _event(family_ref)
    entries = [outbox_entry(event)]
    async with relay_on(infra, db) as relay:

        async def write():
            await db["docs"].insert_one({"_id": "m1", **DONE})
            return True

        assert await relay.write_at_once("m1", entries, write)
        # on the topic when the call returns (found without waiting for any relay round)
        [record] = await records(infra.kafka_bootstrap, MATCHES.name, key=family_ref.encode())
        assert parse_event(record.value).id == event.id
        assert await db["intents"].count_documents({}) == 0
        assert await db["docs"].count_documents({"outbox_pending": True}) == 0
        await asyncio.sleep(0.5)  # a few relay rounds: none publishes it again
    again = await records(infra.kafka_bootstrap, MATCHES.name, key=family_ref.encode(), timeout=3)
    assert [parse_event(r.value).id for r in again] == [event.id]


async def test_a_write_that_did_not_happen_publishes_nothing(infra, mongo, unique):
    db = mongo[f"test_outbox_{unique}"]
    family_ref = f"fam-{unique}"

    async def refused():
        return False

    async with relay_on(infra, db) as relay:
        assert not await relay.write_at_once("m1", [outbox_entry(_event(family_ref))], refused)
    assert await db["intents"].count_documents({}) == 0
    assert await _keyed(infra, family_ref) == []


async def test_the_relay_publishes_a_stale_intent_whose_write_happened(infra, mongo, unique):
    db = mongo[f"test_outbox_{unique}"]
    written, lost = f"fam-{unique}-a", f"fam-{unique}-b"
    event = _event(written)
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    # two writers died after their intent: one after its write, one before
    await db["docs"].insert_one({"_id": "m1", **DONE})
    await db["intents"].insert_many(
        [
            {"_id": "i1", "doc_id": "m1", "entries": [outbox_entry(event)], "at": long_ago},
            {"_id": "i2", "doc_id": "m2", "entries": [outbox_entry(_event(lost))], "at": long_ago},
        ]
    )
    # and a live writer's intent, too fresh to touch
    await db["intents"].insert_one(
        {"_id": "i3", "doc_id": "m3", "entries": [], "at": datetime.now(UTC)}
    )
    async with relay_on(infra, db, lease_seconds=60):

        async def only_the_fresh_one_left():
            return [i["_id"] async for i in db["intents"].find()] == ["i3"]

        await eventually(only_the_fresh_one_left, what="stale intents handled")
    [record] = await records(infra.kafka_bootstrap, MATCHES.name, key=written.encode())
    assert parse_event(record.value).id == event.id
    assert await _keyed(infra, lost) == []
