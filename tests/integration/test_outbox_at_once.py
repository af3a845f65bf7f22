"""A writer that publishes its own events at once (matching's online proposal), against the
real broker and store: published when the call returns, nothing left pending; the writer
stores its outbox leased by itself, so if it could not publish the relay does at once, and
if it died the relay does once the lease runs out; a move appended meanwhile is published
by the relay, the writer's events not again."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry

from entraide.contracts import new_event, parse_event
from entraide.contracts.events import MatchClosed
from entraide.contracts.topics import MATCHES
from entraide.contracts.vocab import MatchOutcome
from entraide.kit.outbox import PENDING, OutboxRelay, outbox_entry
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
async def relay_on(infra, db, *, looping: bool = True, **options) -> AsyncIterator[OutboxRelay]:
    """A relay on `db["docs"]`, its loop running (or, with `looping=False`, started by the
    test with `relay.run()` when it wants its first round)."""
    broker = KafkaBroker(infra.kafka_bootstrap)
    await broker.start()
    relay = OutboxRelay(
        db["docs"],
        broker,
        registry=CollectorRegistry(),
        **{"idle_poll_seconds": 0.1} | options,
    )
    task = asyncio.create_task(relay.run()) if looping else None
    try:
        yield relay
    finally:
        relay.stop()
        if task is not None:
            await asyncio.wait_for(task, 10)
        await broker.stop()


async def test_the_writer_publishes_at_once_and_leaves_nothing_pending(infra, mongo, unique):
    db = mongo[f"test_outbox_{unique}"]
    family_ref = f"fam-{unique}"
    event = _event(family_ref)
    entries = [outbox_entry(event)]
    async with relay_on(infra, db) as relay:

        async def write(outbox):
            assert outbox["lease_owner"] is not None
            assert outbox["lease_until"] > datetime.now(UTC)
            await db["docs"].insert_one({"_id": "m1", **outbox})
            return True

        assert await relay.write_at_once("m1", entries, write)
        # on the topic when the call returns (found without waiting for any relay round)
        [record] = await records(infra.kafka_bootstrap, MATCHES.name, key=family_ref.encode())
        assert parse_event(record.value).id == event.id
        doc = await db["docs"].find_one({"_id": "m1"})
        assert (doc["outbox"], doc["outbox_pending"], doc["lease_owner"]) == ([], False, None)
        await asyncio.sleep(0.5)  # a few relay rounds: none publishes it again
    again = await records(infra.kafka_bootstrap, MATCHES.name, key=family_ref.encode(), timeout=3)
    assert [parse_event(r.value).id for r in again] == [event.id]


async def test_a_write_that_did_not_happen_publishes_nothing(infra, mongo, unique):
    db = mongo[f"test_outbox_{unique}"]
    family_ref = f"fam-{unique}"

    async def refused(outbox):
        return False

    async with relay_on(infra, db) as relay:
        assert not await relay.write_at_once("m1", [outbox_entry(_event(family_ref))], refused)
    assert await db["docs"].count_documents({}) == 0
    assert await _keyed(infra, family_ref) == []


async def test_when_the_writer_cannot_publish_the_relay_does_at_once(infra, mongo, unique):
    db = mongo[f"test_outbox_{unique}"]
    family_ref = f"fam-{unique}"
    event = _event(family_ref)

    async def write(outbox):
        await db["docs"].insert_one({"_id": "m1", **outbox})
        return True

    async with relay_on(infra, db, lease_seconds=600, idle_poll_seconds=60) as relay:
        send, failed = relay._publish, []

        async def broken(entry):
            if not failed:
                failed.append(entry)
                raise ConnectionError("broker away")
            return await send(entry)

        relay._publish = broken  # type: ignore[method-assign]
        assert await relay.write_at_once("m1", [outbox_entry(event)], write)
        [record] = await records(infra.kafka_bootstrap, MATCHES.name, key=family_ref.encode())
        assert parse_event(record.value).id == event.id, "published long before the lease's end"


async def test_the_relay_publishes_a_dead_writers_events_once_its_lease_ran_out(
    infra, mongo, unique
):
    db = mongo[f"test_outbox_{unique}"]
    dead, alive = f"fam-{unique}-a", f"fam-{unique}-b"
    event = _event(dead)
    leased = {"outbox_pending": True}
    # two writers stored their document and died, or are still publishing
    await db["docs"].insert_many(
        [
            {
                "_id": "m1",
                "outbox": [outbox_entry(event)],
                **leased,
                "lease_owner": "dead",
                "lease_until": datetime.now(UTC) - timedelta(seconds=1),
            },
            {
                "_id": "m2",
                "outbox": [outbox_entry(_event(alive))],
                **leased,
                "lease_owner": "alive",
                "lease_until": datetime.now(UTC) + timedelta(minutes=5),
            },
        ]
    )
    async with relay_on(infra, db):

        async def published():
            return await db["docs"].find_one({"_id": "m1", "outbox_pending": False})

        await eventually(published, what="the dead writer's events published")
        await asyncio.sleep(0.5)
    [record] = await records(infra.kafka_bootstrap, MATCHES.name, key=dead.encode())
    assert parse_event(record.value).id == event.id
    assert await _keyed(infra, alive) == [], "a live writer's lease is left alone"


async def test_a_move_appended_meanwhile_goes_through_the_relay_the_first_event_not_again(
    infra, mongo, unique
):
    db = mongo[f"test_outbox_{unique}"]
    family_ref = f"fam-{unique}"
    first, then = _event(family_ref), _event(family_ref)

    async def write_then_move(outbox):
        await db["docs"].insert_one({"_id": "m1", **outbox})
        # a coordinator's move before the writer marks: appends and resets the lease
        await db["docs"].update_one(
            {"_id": "m1"}, {"$set": PENDING, "$push": {"outbox": outbox_entry(then)}}
        )
        return True

    # the relay's loop starts after the write: its first round, run while the writer was
    # between its write and its mark, published both events (the first twice) under load
    async with relay_on(infra, db, idle_poll_seconds=60, looping=False) as relay:
        assert await relay.write_at_once("m1", [outbox_entry(first)], write_then_move)
        looping = asyncio.create_task(relay.run())
        found = await records(
            infra.kafka_bootstrap, MATCHES.name, key=family_ref.encode(), at_least=2
        )
        await asyncio.sleep(0.5)
        relay.stop()
        await asyncio.wait_for(looping, 10)
    again = await records(infra.kafka_bootstrap, MATCHES.name, key=family_ref.encode(), timeout=3)
    assert [parse_event(r.value).id for r in found] == [first.id, then.id]
    assert [parse_event(r.value).id for r in again] == [first.id, then.id]


async def test_an_append_while_the_relay_publishes_sends_each_event_once(infra, mongo, unique):
    """The relay's own round: a write appends (and resets the lease) between the relay's
    read and its mark; the entries it published come out, the appended one follows."""
    db = mongo[f"test_outbox_{unique}"]
    family_ref = f"fam-{unique}"
    first, then = _event(family_ref), _event(family_ref)
    await db["docs"].insert_one({"_id": "m1", "outbox": [outbox_entry(first)], **PENDING})
    broker = KafkaBroker(infra.kafka_bootstrap)
    await broker.start()
    relay = OutboxRelay(db["docs"], broker, registry=CollectorRegistry())
    publish = relay._publish

    async def publish_then_append(entry):
        sent = await publish(entry)
        await db["docs"].update_one(
            {"_id": "m1"}, {"$set": PENDING, "$push": {"outbox": outbox_entry(then)}}
        )
        return sent

    try:
        relay._publish = publish_then_append  # type: ignore[method-assign]
        assert await relay.publish_batch() == 1
        relay._publish = publish  # type: ignore[method-assign]
        assert await relay.publish_batch() == 1
        assert await relay.publish_batch() == 0
    finally:
        await broker.stop()
    found = await records(infra.kafka_bootstrap, MATCHES.name, key=family_ref.encode(), timeout=3)
    assert [parse_event(r.value).id for r in found] == [first.id, then.id]
    assert (await db["docs"].find_one({"_id": "m1"}))["outbox_pending"] is False


async def test_a_batch_written_at_once_is_published_and_marked_in_one_go(infra, mongo, unique):
    """Many documents, one lease owner: the ids `write` stored are published when the call
    returns and marked sent; one it did not store (another replica's) is not published; one
    a move appended to meanwhile keeps its appended event for the relay, ours not again."""
    db = mongo[f"test_outbox_{unique}"]
    await db["docs"].create_index([("_id", 1), ("lease_owner", 1)], unique=True)
    refs = [f"fam-{unique}-{n}" for n in range(4)]
    events = {f"m{n}": _event(ref) for n, ref in enumerate(refs)}
    then = _event(refs[2])
    await db["docs"].insert_one({"_id": "m3", "outbox": [], "outbox_pending": False})

    async def write(leased):
        owners = {fields["lease_owner"] for fields in leased.values()}
        assert len(owners) == 1
        docs = [{"_id": doc_id, **fields} for doc_id, fields in leased.items() if doc_id != "m3"]
        await db["docs"].insert_many(docs)
        # a move on m2 before the writer marks: appends and resets the lease
        await db["docs"].update_one(
            {"_id": "m2"}, {"$set": PENDING, "$push": {"outbox": outbox_entry(then)}}
        )
        return [doc["_id"] for doc in docs]

    entries = {doc_id: [outbox_entry(event)] for doc_id, event in events.items()}
    async with relay_on(infra, db, idle_poll_seconds=60) as relay:
        await asyncio.sleep(0.5)  # the relay's first round is over: it waits to be woken
        assert sorted(await relay.write_many_at_once(entries, write)) == ["m0", "m1", "m2"]
        for n in (0, 1):
            [record] = await records(infra.kafka_bootstrap, MATCHES.name, key=refs[n].encode())
            assert parse_event(record.value).id == events[f"m{n}"].id
            doc = await db["docs"].find_one({"_id": f"m{n}"})
            assert (doc["outbox"], doc["outbox_pending"], doc["lease_owner"]) == ([], False, None)
        relay.wake()
        found = await records(infra.kafka_bootstrap, MATCHES.name, key=refs[2].encode(), at_least=2)
        await asyncio.sleep(0.5)
    assert [parse_event(r.value).id for r in found] == [events["m2"].id, then.id]
    assert await _keyed(infra, refs[3]) == [], "not stored by this write: not published"
